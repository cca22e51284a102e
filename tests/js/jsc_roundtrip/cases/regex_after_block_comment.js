var x = 1 /* c */ / 1; console.log(x);
