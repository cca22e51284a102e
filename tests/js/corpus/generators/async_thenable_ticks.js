async function main(input) {
  var log = [];
  var thenable = { then: function (res) { log.push('then called'); res('T'); } };
  async function f() { var v = await thenable; log.push('got ' + v); }
  f();
  Promise.resolve().then(function () { log.push('m1'); }).then(function () { log.push('m2'); }).then(function () { log.push('m3'); });
  log.push('sync');
  await null; await null; await null; await null;
  return log;
}
