var o = {a: 1}; console.log("a" in o, !("b" in o), "a" in o === true, 1 + 1 in [0, 1, 2]);
