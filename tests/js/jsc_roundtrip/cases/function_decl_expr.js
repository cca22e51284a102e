function f(a) { return a + 1 } var g = function named(n) { return n ? named(n - 1) + 1 : 0 }; console.log(f(1), g(3), (function () { return 7 })());
