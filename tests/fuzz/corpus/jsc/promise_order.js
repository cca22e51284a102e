async function main(input) {
  const log = [];
  async function f() { log.push('f start'); await null; log.push('f after await'); }
  Promise.resolve().then(() => log.push('then 1')).then(() => log.push('then 2'));
  f();
  log.push('sync end');
  for (let i = 0; i < 4; i++) await null;
  return log;
}
