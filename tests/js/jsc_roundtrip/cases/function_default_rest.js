function f(a, b = 2, ...c) { return [a, b, c.length, arguments.length] } console.log(f(1).join(), f(1, 5, 6, 7).join(), f.length);
