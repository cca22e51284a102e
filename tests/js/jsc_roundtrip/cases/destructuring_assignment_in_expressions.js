var a, b; console.log(([a, b] = [1, 2]).length, a, b); var r = ({a} = {a: 5}).a; console.log(r, a);
