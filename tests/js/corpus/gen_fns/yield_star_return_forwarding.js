function main(input) {
  const log = [];
  function* inner() { try { yield 1; yield 2; } finally { log.push('inner finally'); } }
  function* outer() { try { yield* inner(); } finally { log.push('outer finally'); } }
  const it = outer();
  it.next();
  const r = it.return('bye');
  return { r, log };
}
