var a, b, c, d, r; ({a, b: [c, {d = 9}] = [1, {}], ...r} = {a: 0, x: 1, y: 2}); console.log(a, c, d, JSON.stringify(r));
[a = 1, [b] = [2], ...c] = []; console.log(a, b, c.length);
