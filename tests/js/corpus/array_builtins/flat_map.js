// input: {"sentences": ["the quick fox", "jumps over"]}
function main(input) {
  return [
    input.sentences.flatMap((s) => s.split(' ')),
    [1, 2, 3].flatMap((x) => [x, x * 10]),
    [1, 2].flatMap((x) => [[x]]),
    [1, 2, 3, 4].flatMap((x) => (x % 2 ? [] : x))
  ];
}
