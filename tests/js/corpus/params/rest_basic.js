function main(input) {
  function f(first, ...rest) { return { first, rest, isArray: Array.isArray(rest) }; }
  const g = (...all) => all.length;
  return [f(1, 2, 3), f(), g(), g(1, undefined, 3)];
}
