async function main(input) {
  const log = [];
  const inner = Promise.resolve('inner');
  new Promise((r) => r(inner)).then(() => log.push('resolved-with-promise'));
  Promise.resolve().then(() => log.push('t1')).then(() => log.push('t2')).then(() => log.push('t3')).then(() => log.push('t4'));
  for (let i = 0; i < 6; i++) await null;
  return log;
}
