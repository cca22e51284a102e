function main(input) {
  let count = 0;
  const next = () => ++count;
  function f(x = next()) { return x; }
  const r = [f(), f(), f(100), f(), f(undefined)];
  return { r, count };
}
