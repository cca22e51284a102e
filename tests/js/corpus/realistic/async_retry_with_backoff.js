async function main(input) {
  const attempts = [];
  let n = 0;
  const unreliable = async () => { n++; await null; if (n < 4) throw new Error(`attempt ${n} failed`); return { data: 'ok', n }; };
  async function retry(fn, { retries = 5, backoff = (i) => 2 ** i * 100 } = {}) {
    for (let i = 0; ; i++) {
      try { return await fn(); }
      catch (e) {
        attempts.push({ error: e.message, wait: backoff(i) });
        if (i >= retries) throw e;
      }
    }
  }
  return { result: await retry(unreliable), attempts };
}
