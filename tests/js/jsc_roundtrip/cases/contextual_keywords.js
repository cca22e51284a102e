var let_ = 1, of = 2, get = 3, set = 4, async = 5, await = 6, yield = 7, static = 8; console.log(of, get, set, async, await, yield, static);
