async function main(input) {
  const log = [];
  async function withAwait() { try { return await Promise.reject(new Error('a')); } catch (e) { log.push('caught in withAwait'); return 'w'; } }
  async function withoutAwait() { try { return Promise.reject(new Error('b')); } catch (e) { log.push('never'); return 'x'; } }
  const a = await withAwait();
  let b;
  try { b = await withoutAwait(); } catch (e) { b = 'outer caught ' + e.message; }
  return { a, b, log };
}
