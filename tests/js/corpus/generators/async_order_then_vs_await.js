async function main(input) {
  var log = [];
  var p = Promise.resolve();
  async function a() { log.push('a1'); await null; log.push('a2'); await p; log.push('a3'); }
  async function b() { log.push('b1'); await undefined; log.push('b2'); }
  p.then(function () { log.push('t1'); }).then(function () { log.push('t2'); }).then(function () { log.push('t3'); });
  var pa = a();
  var pb = b();
  log.push('sync');
  await Promise.all([pa, pb]);
  log.push('end');
  return log;
}
