async function main(input) {
  const log = [];
  await Promise.reject(new Error('x'))
    .then(() => log.push('not called'))
    .catch((e) => { log.push('caught ' + e.message); return 'recovered'; })
    .then((v) => log.push('then ' + v), () => log.push('not rejected'));
  return log;
}
