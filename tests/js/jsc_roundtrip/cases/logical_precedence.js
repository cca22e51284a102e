var a = 0, b = 1, c = 2; console.log(a || b && c, (a || b) && c, a && b || c, !a && b, a | b & c, (a | b) & c, a ^ b | c);
