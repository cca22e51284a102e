var a = 1, b = 0; console.log(a ? b ? 1 : 2 : 3, (a ? b : a) ? "x" : "y", a ? (b, 5) : 6, a ? b = 4 : 0, b);
