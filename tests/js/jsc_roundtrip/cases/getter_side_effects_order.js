var log = []; var o = { get a() { log.push("a"); return 1 }, get b() { log.push("b"); return 2 } }; var s = o.a + o.b * o.a; console.log(s, log.join());
