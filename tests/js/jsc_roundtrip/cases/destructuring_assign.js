var a, b, c, o = {}; [a, b] = [1, 2]; [a, b] = [b, a]; ({c, d: o.x, e: o["y"] = 5} = {c: 3, d: 4}); console.log(a, b, c, o.x, o.y);
