function main(input) {
  let a = 1, b = 2, c = 3;
  [a, b] = [b, a];
  [a, b, c] = [c, a, b];
  return [a, b, c];
}
