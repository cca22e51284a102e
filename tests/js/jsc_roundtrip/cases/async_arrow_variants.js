var a = async x => x + 1, b = async (x, y) => x * y, c = async ({z}) => z, d = async () => { return await a(1) };
Promise.all([a(1), b(2, 3), c({z: 4}), d()]).then(v => console.log(v.join()));
