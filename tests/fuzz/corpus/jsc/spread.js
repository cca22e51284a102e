// input: {"matrix": [[1, 2], [3, 4]]}
function main(input) {
  const shallow = [...input.matrix];
  shallow[0] = [9];
  const deep = input.matrix.map((row) => [...row]);
  deep[1][0] = 7;
  return { original: input.matrix, shallow, deep };
}
