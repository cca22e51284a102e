function main(input) {
  const a = () => 1;
  const b = x => x * 2;
  const c = (x, y) => x + y;
  const d = () => ({ obj: true });
  const e = (x) => { const y = x + 1; return y * y; };
  return [a(), b(4), c(2, 3), d(), e(2)];
}
