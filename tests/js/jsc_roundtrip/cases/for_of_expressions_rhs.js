for (var x of ([1, 2], [3])) console.log(x); for (var k in {a: 1}, {b: 2}) console.log(k);
