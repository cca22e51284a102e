function f(a, b,) { return a + b } var o = {a: 1, b: 2,}; var arr = [1, 2,]; console.log(f(1, 2,), o.b, arr.length, ((a, b,) => a * b)(2, 3));
