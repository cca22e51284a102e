function F(x) { this.x = x; this.g = function () { return function G() { this.y = 2 } } } var o = { F: F };
console.log(new F(1).x, new F().x, new o.F(2).x, new o["F"](3).x, typeof new new F(4).g()(), new (F)(5).x, new (function () { this.z = 6 })().z);
