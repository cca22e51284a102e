function main(input) {
  let a, b;
  const src = { a: 1, b: 2 };
  const result = ({ a, b } = src);
  let x, y;
  const arrSrc = [9, 8];
  const res2 = [x, y] = arrSrc;
  return [result === src, a, b, res2 === arrSrc, x, y];
}
