var arr = []; for (var i = 0, ok = ("x" in {x: 1}); i < 1; i++) arr.push(ok); console.log(arr.join());
