function f(first, ...others) { return others.length } var g = (...all) => all.length; console.log(f(1, 2, 3), g(), g(1, 2));
