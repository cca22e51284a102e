function* g() { yield
1; yield 2 } var it = g(); console.log(JSON.stringify(it.next()), JSON.stringify(it.next()));
