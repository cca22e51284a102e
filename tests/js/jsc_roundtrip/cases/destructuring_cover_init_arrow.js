var f = ({a = 1, b = 2} = {}) => a + b; var g = ([x = 5] = []) => x; console.log(f(), f({a: 10}), g());
