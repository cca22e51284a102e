const { a: { b: [c = 1, ...d] = [] } = {}, ...e } = { a: { b: [undefined, 2, 3] }, f: 4 }; console.log(c, d.join(), JSON.stringify(e));
