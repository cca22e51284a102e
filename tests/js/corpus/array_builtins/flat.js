function main(input) {
  const nested = [1, [2, [3, [4, [5]]]]];
  return [nested.flat(), nested.flat(2), nested.flat(Infinity), [1, , 3].flat(), [[]].flat(), nested.flat(0)];
}
