async function main(input) {
  const log = [];
  async function returnsPromise() { return Promise.resolve('rp'); }
  async function returnsValue() { return 'rv'; }
  returnsPromise().then((v) => log.push(v));
  returnsValue().then((v) => log.push(v));
  Promise.resolve().then(() => log.push('x1')).then(() => log.push('x2')).then(() => log.push('x3')).then(() => log.push('x4'));
  for (let i = 0; i < 6; i++) await null;
  return log;
}
