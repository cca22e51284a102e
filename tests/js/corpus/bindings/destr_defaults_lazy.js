function main(input) {
  const log = [];
  function d(name, v) { log.push(name); return v; }
  const { a = d("a", 1), b = d("b", 2), c = d("c", 3) } = { a: 10, c: undefined };
  const [x = d("x", 7), y = d("y", 8)] = [null];
  let { p: { q = d("q", "deep") } = d("p", {}) } = {};
  return { a, b, c, x, y, q, log };
}
