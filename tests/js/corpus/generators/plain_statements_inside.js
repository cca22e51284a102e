function* g(log) {
  yield 'start';
  try { return 'from plain try'; } finally { log.push('plain finally'); }
}
function* h(log) {
  for (var i = 0; i < 5; i++) {
    yield i;
    try { if (i === 2) throw new Error('x'); } catch (err) { log.push('plain catch ' + i); continue; }
    for (var j = 0; j < 3; j++) { if (j === 1) break; if (i === 3) return 'early ' + j; }
    log.push('end ' + i);
  }
}
function* hoisting() {
  yield typeof helper;
  yield helper(2);
  if (true) { var later = 'set'; }
  yield later;
  function helper(x) { return x * 21; }
}
function main(input) {
  var log = [], out = [];
  for (var it = g(log), r = it.next(); ; r = it.next()) { out.push(r.value); if (r.done) break; }
  for (it = h(log), r = it.next(); ; r = it.next()) { out.push(r.value); if (r.done) break; }
  for (it = hoisting(), r = it.next(); ; r = it.next()) { out.push(r.value); if (r.done) break; }
  return [out, log];
}
