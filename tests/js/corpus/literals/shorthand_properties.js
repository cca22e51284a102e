// input: {"x": 1, "y": 2}
function main(input) {
  const { x, y } = input;
  const name = 'pt';
  return { x, y, name, nested: { x } };
}
