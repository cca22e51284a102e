function main(input) {
  const log = [];
  const f = (n) => { log.push(n); return n; };
  const { a = f('a'), b = f('b'), c = a + b } = {};
  const [p = f('p'), q = p + 1] = [];
  return { log, a, b, c, p, q };
}
