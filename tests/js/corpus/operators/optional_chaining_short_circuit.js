function main(input) {
  let count = 0;
  const inc = () => ++count;
  const n = null;
  const r1 = n?.[inc()];
  const r2 = n?.a(inc());
  const r3 = n?.a.b[inc()].c(inc());
  const o = { a: { b: [10, 20] } };
  const r4 = o?.a.b[inc()];
  return { r1, r2, r3, r4, count };
}
