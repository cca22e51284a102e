function main(input) {
  const log = [];
  function* g() { log.push('body'); yield 1; }
  const it = g();
  log.push('created');
  it.next();
  return log;
}
