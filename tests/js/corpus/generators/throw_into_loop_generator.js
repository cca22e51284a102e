function* worker() {
  var errors = 0, done = 0;
  while (true) {
    try {
      var job = yield { errors: errors, done: done };
      if (job === 'quit') return 'bye';
      done++;
    } catch (e) {
      errors++;
      if (errors > 1) throw new RangeError('too many');
    }
  }
}
function main(input) {
  var w = worker(), out = [];
  out.push(w.next().value);
  out.push(w.next('a').value);
  out.push(w['throw'](new Error('x')).value);
  out.push(w.next('b').value);
  try { w['throw'](new Error('y')); } catch (e) { out.push(e.name); }
  out.push(w.next());
  var w2 = worker();
  w2.next();
  out.push(w2.next('quit'));
  return out;
}
