function f() { return arguments.length } console.log(f((1, 2)), [(1, 2), 3].length, {a: (1, 2)}.a);
