function main(input) {
  const log = [];
  function* g() { try { yield 1; yield 2; yield 3; } finally { log.push('finally'); } }
  const [a] = g();
  log.push('a=' + a);
  const [...all] = g();
  log.push('all=' + all.length);
  return log;
}
