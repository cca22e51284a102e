async function main(input) {
  var log = [];
  async function retPromise() { return Promise.resolve('rp'); }
  async function retValue() { return 'rv'; }
  async function retAwait() { return await Promise.resolve('ra'); }
  retPromise().then(function (v) { log.push(v); });
  retValue().then(function (v) { log.push(v); });
  retAwait().then(function (v) { log.push(v); });
  Promise.resolve().then(function () { log.push('t1'); }).then(function () { log.push('t2'); })
    .then(function () { log.push('t3'); }).then(function () { log.push('t4'); });
  await null; await null; await null; await null; await null;
  return log;
}
