var a = (4) / 2 / 1; var b = [8][0] / 2; console.log(a, b);
