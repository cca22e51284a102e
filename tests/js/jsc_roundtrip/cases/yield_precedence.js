function* g() { var a = yield; var b = (yield 1) + 1; yield yield 2; yield 1, 2; var c = [yield, yield]; return [a, b, c] }
var it = g(); var out = []; var r = it.next(); var n = 10; while (!r.done) { out.push(r.value); r = it.next(n++) } console.log(JSON.stringify(out), JSON.stringify(r.value));
