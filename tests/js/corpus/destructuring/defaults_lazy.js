function main(input) {
  let calls = 0;
  const side = (v) => { calls++; return v; };
  const { a = side(1), b = side(2), c = side(3) } = { a: 'given', b: undefined, c: null };
  const [x = side(4), y = side(5)] = [0];
  return { a, b, c, x, y, calls };
}
