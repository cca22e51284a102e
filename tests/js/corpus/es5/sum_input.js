// input: {"a": 2, "b": 40}
function main(input) {
  return { sum: input.a + input.b };
}
