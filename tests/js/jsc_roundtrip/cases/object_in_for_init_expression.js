var x; for (x = {a: 1}.a; false;); console.log(x);
