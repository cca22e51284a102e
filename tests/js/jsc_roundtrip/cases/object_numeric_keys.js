var o = {1: "a", 0x10: "b", 1.5: "c", 1e3: "d", .5: "e"}; console.log(JSON.stringify(o));
