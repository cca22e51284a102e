function main(input) {
  const pairs = [1, 2, 3].map((n) => ({ n, sq: n * n }));
  const last = ((a, b) => (a, b))(1, 2);
  return { pairs, last };
}
