var a, b; a = b = true ? false ? 1 : 2 : 3; console.log(a, b);
