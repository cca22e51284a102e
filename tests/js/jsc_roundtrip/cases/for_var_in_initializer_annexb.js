var out = []; for (var k = 0 in {}) ; out.push(k); console.log(out.join());
