var {a, b: {c}, d = 4, ...rest} = {a: 1, b: {c: 3}, e: 5, f: 6}; let [x, , y = 7, ...zs] = [10, 20, undefined, 30, 40]; const {length} = "abc";
console.log(a, c, d, JSON.stringify(rest), x, y, zs.join(), length);
