var s = "abc"; var r1 = s.replace(/b/, "B"), r2 = 1 + /x/.source.length, r3 = !/y/.test(s) && /a/.test(s); console.log(r1, r2, r3);
