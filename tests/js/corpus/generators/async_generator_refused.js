function main(input) {
  var ok = 0;
  function* g() { try { yield 1; } finally { ok++; } }
  var it = g();
  it.next();
  it['return']();
  return ok;
}
