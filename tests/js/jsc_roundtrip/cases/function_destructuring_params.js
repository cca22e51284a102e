function f({a, b = 2}, [c, [d]], ...[e, g]) { return a + b + c + d + e + g } console.log(f({a: 1}, [3, [4]], 5, 6));
