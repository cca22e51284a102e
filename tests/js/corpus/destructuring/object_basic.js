// input: {"a": 1, "b": {"c": 2}, "d": [3, 4]}
function main(input) {
  const { a, b: { c }, d: [first, second], missing } = input;
  return { a, c, first, second, missingIsUndef: missing === undefined };
}
