var f = (a = 1, b = a + 1, {c} = {c: b * 2}) => a + b + c; console.log(f(), f(10));
