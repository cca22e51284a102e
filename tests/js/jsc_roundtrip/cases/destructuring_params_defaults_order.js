var log = []; function f({a = (log.push("a"), 1)} = (log.push("obj"), {}), b = (log.push("b"), 2)) { return a + b } console.log(f(), log.join());
