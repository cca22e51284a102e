var i = 4, j = 2; var k = i++ / 2 / j--; console.log(k, i, j);
