function main(input) {
  function* inner() { const r = yield 'i1'; yield 'i2 got ' + r; return 'inner result'; }
  function* outer() { yield 'o1'; const res = yield* inner(); yield res; yield* [7, 8]; yield* 'hi'; }
  const it = outer();
  const out = [];
  out.push(it.next().value, it.next().value, it.next('X').value);
  for (const v of it) out.push(v);
  return out;
}
