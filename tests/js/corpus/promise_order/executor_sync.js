function main(input) {
  const log = [];
  const p = new Promise((resolve) => { log.push('executor'); resolve('v'); log.push('after resolve'); });
  log.push('after construct');
  return p.then((v) => { log.push('then ' + v); return log; });
}
