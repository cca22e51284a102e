var x = 3; console.log((-x) ** 2, (+x) ** 2, (~x) ** 2, (typeof x) + 1);
