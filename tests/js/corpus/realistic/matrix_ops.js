// input: {"a": [[1, 2], [3, 4]], "b": [[5, 6], [7, 8]]}
function main({ a, b }) {
  const transpose = (m) => m[0].map((_, j) => m.map((row) => row[j]));
  const mul = (x, y) => x.map((row) => transpose(y).map((col) => row.reduce((s, v, k) => s + v * col[k], 0)));
  const det2 = ([[p, q], [r, s]]) => p * s - q * r;
  return { product: mul(a, b), transpose: transpose(a), det: det2(a), identity: Array.from({ length: 3 }, (_, i) => Array.from({ length: 3 }, (_, j) => +(i === j))) };
}
