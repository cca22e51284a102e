function* positions(n) {
  var log = [];
  if (yield 'if-test') log.push('then'); else log.push('else');
  if (n > 0) { yield 'in-then'; } else { yield 'in-else'; }
  while ((yield 'while-test') !== 'stop') log.push('w');
  do { log.push('do'); } while (yield 'do-test');
  for (var i = yield 'for-init'; i < (yield 'for-test'); i += yield 'for-update') log.push('f' + i);
  switch (yield 'switch-disc') {
    case yield 'case-a': log.push('A'); break;
    case 'b': log.push('B');
    default: log.push('D');
  }
  var t = typeof (yield 'typeof');
  log.push(t);
  return log.concat([yield 'return-arg']);
}
function main(input) {
  var g = positions(1), r, out = [];
  var answers = [true, undefined, 1, 2, 'stop', 1, 0, 5, 7, 1, 7, 1, 'b', 'a', 42, 'last'];
  var k = 0;
  r = g.next();
  while (!r.done) { out.push(r.value); r = g.next(answers[k++]); }
  out.push(r.value);
  return out;
}
