var o = { async am() { return 1 }, *gm() { yield 2 }, async *agm() { yield 3 }, get: 1, set: 2, async: 3, static: 4, get get() { return 5 }, ["comp" + 1]() { return 6 } };
console.log(o.gm().next().value, o.get, o.set, o.async, o.static, o.comp1()); o.am().then(v => console.log("am", v));
