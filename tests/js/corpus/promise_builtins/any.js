async function main(input) {
  const a = await Promise.any([Promise.reject(new Error('x')), Promise.resolve('y'), Promise.resolve('z')]);
  let agg;
  try { await Promise.any([Promise.reject(new Error('e1')), Promise.reject(new Error('e2'))]); }
  catch (e) { agg = { name: e.name, isAgg: e instanceof AggregateError, errors: e.errors.map((x) => x.message) }; }
  let emptyAgg;
  try { await Promise.any([]); } catch (e) { emptyAgg = e.name + ' ' + e.errors.length; }
  return { a, agg, emptyAgg };
}
