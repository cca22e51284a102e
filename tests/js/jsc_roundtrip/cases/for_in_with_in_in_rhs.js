var o = {a: 1, b: 2}; for (var k in "a" in o ? o : {}) console.log(k);
