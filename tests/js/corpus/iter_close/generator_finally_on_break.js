function main(input) {
  const log = [];
  function* g() {
    try { yield 1; yield 2; yield 3; }
    finally { log.push('cleanup'); }
  }
  for (const x of g()) { log.push(x); if (x === 2) break; }
  return log;
}
