async function main(input) {
  const r = await Promise.all([1, Promise.resolve(2), { then(r) { r(3); } }]);
  const empty = await Promise.all([]);
  let err;
  try { await Promise.all([Promise.resolve(1), Promise.reject(new Error('bad')), Promise.reject(new Error('worse'))]); } catch (e) { err = e.message; }
  const fromSet = await Promise.all(new Set([Promise.resolve('s')]));
  return { r, empty, err, fromSet };
}
