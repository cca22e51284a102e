var f = ({a, b: [c, d = 4]}, [e, ...r], {x = 9} = {}, ...rest) => [a, c, d, e, r, x, rest];
console.log(JSON.stringify(f({a: 1, b: [3]}, [5, 6, 7], undefined, 8, 9)));
