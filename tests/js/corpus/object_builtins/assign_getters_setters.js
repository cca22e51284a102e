function main(input) {
  const log = [];
  const target = { set v(x) { log.push('set ' + x); } };
  const src = { get v() { log.push('get'); return 7; } };
  Object.assign(target, src);
  return log;
}
