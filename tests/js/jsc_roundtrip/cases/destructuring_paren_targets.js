var a, o = {}; [(a)] = [1]; ({x: (o.p)} = {x: 2}); [(o.q) = 3] = []; console.log(a, o.p, o.q);
