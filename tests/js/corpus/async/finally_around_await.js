async function main(input) {
  const log = [];
  async function work(fail) {
    try {
      log.push('start ' + fail);
      await null;
      if (fail) throw new Error('fail');
      return 'ok';
    } catch (e) {
      log.push('catch');
      return 'recovered';
    } finally {
      log.push('finally ' + fail);
      await null;
      log.push('after await in finally ' + fail);
    }
  }
  const r = [await work(false), await work(true)];
  return { r, log };
}
