function main(input) {
  let a = 1, b = 2;
  [a, b] = [b, a];
  const o = {};
  let evals = 0;
  function src() { evals++; return { x: "X", y: "Y" }; }
  const value = ({ x: o.first, y: o["second"] } = src());
  let c, d;
  const chained = [c, d] = [3, 4];
  for ([a, b] of [[5, 6]]) {}
  return { a, b, o, evals, same: value.x, chained, c, d };
}
