function main(input) {
  function f(a, b = 2, c = a + b) { return [a, b, c]; }
  return [f(1), f(1, 5), f(1, undefined, 0), f(1, null)];
}
