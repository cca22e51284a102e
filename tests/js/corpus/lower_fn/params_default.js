let calls = 0;
function def() { calls++; return 10; }
function f(a, b = a + 1, c = def()) { return [a, b, c]; }
function g(x = 1, y) { return [x, y]; }
function main(input) {
  const r = [f(1), f(1, 5), f(1, undefined, 3), f(1, null), g(), g(undefined, 2), calls];
  return [r, f.length, g.length, ((a, b = 2, c) => 0).length];
}
