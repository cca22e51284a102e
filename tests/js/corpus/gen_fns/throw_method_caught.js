function main(input) {
  function* g() {
    let errors = 0;
    while (true) {
      try { yield errors; } catch (e) { errors++; if (e === 'stop') return 'stopped after ' + errors; }
    }
  }
  const it = g();
  it.next();
  const r1 = it.throw('a');
  const r2 = it.throw('b');
  const r3 = it.throw('stop');
  return [r1, r2, r3];
}
