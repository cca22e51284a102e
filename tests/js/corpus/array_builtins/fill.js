function main(input) {
  return [new Array(3).fill(0), [1, 2, 3, 4].fill(9, 1, 3), [1, 2, 3].fill(7, -1), Array(2).fill().map((_, i) => i)];
}
