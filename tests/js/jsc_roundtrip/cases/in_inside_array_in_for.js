for (var a = ["x" in {x: 1}]; false;); console.log(a[0]);
