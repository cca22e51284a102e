// input: {"word": "naïve 😀!"}
function main(input) {
  const cps = [...input.word].map((c) => c.codePointAt(0).toString(16));
  return { cps, length: input.word.length, points: [...input.word].length, rebuilt: String.fromCodePoint(...[...input.word].map((c) => c.codePointAt(0))) === input.word };
}
