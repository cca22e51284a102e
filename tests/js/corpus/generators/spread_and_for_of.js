function* range(a, b, step) { for (let i = a; i < b; i += step || 1) yield i; }
function main(input) {
  const out = [...range(0, 5)];
  for (const x of range(10, 20, 3)) out.push(x);
  const [first, second, ...rest] = range(100, 106);
  let sum = 0;
  for (const v of range(0, 100)) { if (v > 4) break; sum += v; }
  return { out, first, second, rest, sum };
}
