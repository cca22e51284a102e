async function main(input) {
  var log = [];
  async function inner(name) {
    log.push(name + ' start');
    await Promise.resolve();
    log.push(name + ' mid');
    await new Promise(function (r) { r(); });
    log.push(name + ' end');
    return name;
  }
  var p1 = inner('x').then(function (v) { log.push('then ' + v); });
  var p2 = Promise.resolve().then(function () { log.push('p a'); return inner('y'); }).then(function (v) { log.push('then ' + v); });
  Promise.reject(new Error('r')).catch(function () { log.push('catch r'); });
  await p1;
  await p2;
  return log;
}
