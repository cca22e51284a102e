async function main(input) {
  const log = [];
  let resolve;
  const p = new Promise((r) => { resolve = r; });
  p.then((v) => log.push('first ' + v));
  p.then((v) => log.push('second ' + v));
  p.then((v) => log.push('third ' + v));
  log.push('before resolve');
  resolve(7);
  resolve(8);
  log.push('after resolve');
  await p;
  await null;
  return log;
}
