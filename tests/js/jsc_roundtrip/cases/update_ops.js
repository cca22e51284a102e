var a = 1, o = {x: 1}, arr = [1]; a++; ++a; a--; --a; o.x++; ++o["x"]; arr[0]--; console.log(a, o.x, arr[0], a++ + ++a, a-- - --a);
