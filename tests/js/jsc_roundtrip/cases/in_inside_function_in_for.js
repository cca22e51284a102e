for (var f = function () { return "y" in {y: 1} }; false;); console.log(f());
