async function main(input) {
  const log = [];
  const v = await Promise.resolve(1).finally(() => { log.push('f1'); return 'ignored'; });
  let e;
  try { await Promise.reject(new Error('r')).finally(() => log.push('f2')); } catch (err) { e = err.message; }
  let e2;
  try { await Promise.resolve(1).finally(() => { throw new Error('from finally'); }); } catch (err) { e2 = err.message; }
  return { v, e, e2, log };
}
