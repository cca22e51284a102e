function outer() {
  const f = () => arguments.length;
  const g = (...xs) => [arguments[0], xs.length];
  return [f(9, 9, 9, 9), g(1, 2)];
}
function main(input) { return outer("a", "b", "c"); }
