var {"a-b": x, 0: y, [1 + 1]: z} = {"a-b": 1, 0: 2, 2: 3}; console.log(x, y, z);
