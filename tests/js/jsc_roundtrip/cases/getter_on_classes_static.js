class C { static get x() { return 1 } static set x(v) { C._x = v } } C.x = 3; console.log(C.x, C._x);
