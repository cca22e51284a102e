function* g() { const x = [yield 1, (yield 2) * 2]; const o = { k: yield 3 }; return JSON.stringify([x, o]) } var it = g(); it.next(); it.next(10); it.next(20); console.log(it.next(30).value);
