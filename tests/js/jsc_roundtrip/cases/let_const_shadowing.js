let a = 1; { const a = 2; { let a = 3; console.log(a) } console.log(a) } console.log(a);
