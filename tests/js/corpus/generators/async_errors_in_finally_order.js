async function main(input) {
  var log = [];
  async function risky(n) {
    try {
      log.push('try ' + n);
      if (n === 0) throw new Error('zero');
      await null;
      if (n === 1) throw new Error('one');
      return n;
    } catch (e) {
      log.push('catch ' + e.message);
      await null;
      return -1;
    } finally {
      log.push('finally ' + n);
    }
  }
  var r = [];
  for (var i = 0; i < 3; i++) r.push(await risky(i));
  return { r: r, log: log };
}
