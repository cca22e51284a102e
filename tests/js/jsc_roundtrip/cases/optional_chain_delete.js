var o = {a: {b: 1}}, n; console.log(delete o?.a?.b, JSON.stringify(o), delete n?.x);
