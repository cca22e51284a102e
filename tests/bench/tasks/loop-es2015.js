function main({ n = 3000, rounds = 10 }) {
  const pts = [];
  for (let i = 0; i < n; i++) pts.push({ x: i % 97, y: (i * 7) % 89, w: [i % 5, i % 3] });
  const score = ({ x, y }, [a, b]) => x * a - y * b;
  let acc = 0, best = 0;
  for (let r = 0; r < rounds; r++) {
    for (const p of pts) {
      const { w: [w0, w1] } = p;
      const s = score(p, [w0 + r, w1]);
      acc += s;
      if (s > best) best = s;
    }
    for (const [i, v] of [[r, 1], [r + 1, 2]]) acc += i * v;
  }
  const sum = pts.map((p) => p.x + p.y).filter((v) => v % 2 === 0)
    .reduce((a, v) => a + v, 0);
  return { acc, best, sum };
}
