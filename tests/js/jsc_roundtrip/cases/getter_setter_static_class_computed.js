var n = "p"; class C { static get [n]() { return 1 } static set [n](v) { C.v = v } } C.p = 9; console.log(C.p, C.v);
