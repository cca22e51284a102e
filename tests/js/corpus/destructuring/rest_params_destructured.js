function main(input) {
  const f = (...[a, b, c = 'c']) => [a, b, c];
  const g = (first, ...{ length }) => [first, length];
  return [f(1, 2), g('x', 1, 2, 3)];
}
