var pairs = [[1, "a"], [2, "b"]]; for (var [n, s] of pairs) console.log(n, s); for (const {x, y = 0} of [{x: 1}, {x: 2, y: 3}]) console.log(x, y);
var k, v; for ([k, v] of [["p", 1]]) console.log(k, v); var o = {}; for ({a: o.z} of [{a: 9}]) console.log(o.z);
