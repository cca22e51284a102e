for (var g = () => { return "z" in {z: 1} }; false;); console.log(g());
