function main(input) {
  const s = new Set([1]);
  const seen = [];
  for (const v of s) {
    seen.push(v);
    if (v < 5) s.add(v + 1);
  }
  return seen;
}
