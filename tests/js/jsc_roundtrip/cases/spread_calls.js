function f(a, b, c) { return a + b + c } var args = [1, 2]; console.log(f(...args, 3), f(0, ...args), Math.max(...[1, 5, 3], 4), new Date(...[2020, 0, 1]).getFullYear());
