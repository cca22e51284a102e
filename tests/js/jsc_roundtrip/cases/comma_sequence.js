var a = (1, 2, 3); var b = [(1, 2)]; function f() { return arguments.length } console.log(a, b[0], f((1, 2), 3), f(1, 2, 3));
var i, j; for (i = 0, j = 1; i < 1; i++, j++); console.log(i, j);
