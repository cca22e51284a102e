var of = 1, get = 2, set = 3, async = 4, let_ = 5; var o = {of, get, set, async}; console.log(JSON.stringify(o));
