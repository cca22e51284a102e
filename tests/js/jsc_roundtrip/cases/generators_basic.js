function* g() { var x = yield 1; yield x * 2; yield* [7, 8]; return 9 } var it = g(); console.log(it.next().value, it.next(5).value, it.next().value, it.next().value, JSON.stringify(it.next()));
