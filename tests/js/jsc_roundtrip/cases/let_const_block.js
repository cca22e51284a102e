let x = 1; { let x = 2; console.log(x); } const y = x + 1; console.log(x, y);
