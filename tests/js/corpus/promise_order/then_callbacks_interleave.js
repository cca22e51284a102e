async function main(input) {
  const log = [];
  const p1 = Promise.resolve();
  const p2 = Promise.resolve();
  p1.then(() => log.push('a1')).then(() => log.push('a2')).then(() => log.push('a3'));
  p2.then(() => log.push('b1')).then(() => log.push('b2')).then(() => log.push('b3'));
  log.push('sync');
  await new Promise((r) => r());
  await null; await null; await null;
  return log;
}
