function main(input) {
  const log = [];
  function* g() { log.push('started'); try { yield 1; } finally { log.push('finally'); } }
  const it = g();
  return { r: it.return('early'), n: it.next(), log };
}
