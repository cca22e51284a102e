function* g(log) {
  try {
    log.push('try');
    yield 1;
    log.push('after 1');
    yield 2;
  } finally {
    log.push('finally');
    yield 'from finally';
    log.push('finally end');
  }
  log.push('after try');
  return 'done';
}
function main(input) {
  var out = [];
  var log1 = [], it1 = g(log1), r;
  while (!(r = it1.next()).done) out.push(r.value);
  out.push(r.value);
  var log2 = [], it2 = g(log2);
  out.push(it2.next().value);
  out.push(it2['return']('early'));
  out.push(it2.next());
  out.push(it2.next());
  var log3 = [], it3 = g(log3);
  it3.next();
  var caught;
  out.push(it3['throw'](new Error('boom')));
  try { it3.next(); } catch (e) { caught = e.message; }
  return { out: out, log1: log1, log2: log2, log3: log3, caught: caught };
}
