function main(input) {
  const [a, b, ...rest] = 'hello';
  const [first, second] = new Set([10, 20, 30]);
  function* g() { yield 1; yield 2; yield 3; }
  const [g1, , g3] = g();
  return { a, b, rest, first, second, g1, g3 };
}
