// input: {"people": [{"n": "b", "age": 30}, {"n": "a", "age": 25}, {"n": "c", "age": 30}]}
function main(input) {
  return input.people
    .slice()
    .sort((x, y) => y.age - x.age || (x.n < y.n ? -1 : 1))
    .map(({ n }) => n);
}
