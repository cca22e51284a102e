var x; console.log(x ?? 1 ? "t" : "f", (x ?? 0) ? "t" : "f");
