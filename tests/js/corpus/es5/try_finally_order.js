function main(input) {
  var log = [];
  function f() {
    try { log.push('try'); return 'from-try'; }
    finally { log.push('finally'); }
  }
  var r = f();
  try { null.x; } catch (e) { log.push(e instanceof TypeError); }
  return { r: r, log: log };
}
