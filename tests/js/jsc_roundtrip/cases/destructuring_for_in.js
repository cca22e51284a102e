var o = {a: 1, bb: 2}; for (var [first] in o) console.log(first); var t = {}; for (t.key in o) console.log(t.key);
