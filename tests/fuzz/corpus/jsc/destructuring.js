function main(input) {
  const [a, , b, ...rest] = [1, 2, 3, 4, 5];
  const [x, y = 'dflt'] = [10];
  const [[p, q], [r]] = [[1, 2], [3]];
  return { a, b, rest, x, y, p, q, r };
}
