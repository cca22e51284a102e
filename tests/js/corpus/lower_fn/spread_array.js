function* gen() { yield 1; yield 2; }
function main(input) {
  const a = [1, 2], s = "héy";
  const nested = [[1], [2]];
  return [[...a, 3, ...a], [...s], [...gen(), 0], [...nested], [0, ...[], 1], [...new Set([1, 1, 2])],
          [..."ab"].length];
}
