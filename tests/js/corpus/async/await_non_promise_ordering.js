async function main(input) {
  const log = [];
  async function a() { log.push('a1'); await undefined; log.push('a2'); }
  const p = a();
  log.push('sync after call');
  await p;
  log.push('done');
  return log;
}
