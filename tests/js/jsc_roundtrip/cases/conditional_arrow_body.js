var f = (a) => a ? 1 : 2; var g = a => b => a + b; console.log(f(0), g(1)(2));
