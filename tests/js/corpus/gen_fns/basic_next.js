function main(input) {
  function* g() { const x = yield 1; const y = yield x + 1; return x + y; }
  const it = g();
  return [it.next('ignored'), it.next(10), it.next(20), it.next(), it.next()];
}
