function f(a, b) { if (a) if (b) return 1; else return 2; return 3 } function g(a, b) { if (a) { if (b) return 1 } else return 2; return 3 }
console.log(f(1, 1), f(1, 0), f(0, 0), g(1, 1), g(1, 0), g(0, 0));
