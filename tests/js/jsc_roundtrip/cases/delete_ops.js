var o = {a: 1, b: {c: 2}}; delete o.a; delete o.b["c"]; console.log(JSON.stringify(o), delete o.zz);
