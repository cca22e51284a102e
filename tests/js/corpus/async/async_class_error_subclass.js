async function main(input) {
  class RetryError extends Error { constructor(n) { super(`retry ${n}`); this.name = 'RetryError'; this.n = n; } }
  let attempts = 0;
  async function flaky() { attempts++; if (attempts < 3) throw new RetryError(attempts); return 'success'; }
  const errors = [];
  for (;;) {
    try { return { result: await flaky(), attempts, errors }; }
    catch (e) { if (!(e instanceof RetryError)) throw e; errors.push(e.message); }
  }
}
