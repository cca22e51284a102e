async function main(input) {
  var log = [];
  async function one() { log.push('one start'); await 1; log.push('one after await'); }
  async function two() { log.push('two start'); await Promise.resolve(2); log.push('two after await'); }
  one();
  two();
  Promise.resolve().then(function () { log.push('tick 1'); }).then(function () { log.push('tick 2'); });
  log.push('sync end');
  await null;
  await null;
  await null;
  return log;
}
