var o = {a: 1}; var b = o.a++ * 2; var c = -o.a++; console.log(b, c, o.a, typeof o.a++);
