for (var i = 0, j = 0; i < 3; i++, j += 2); console.log(i, j);
