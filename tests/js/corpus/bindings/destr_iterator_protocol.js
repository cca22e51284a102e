function main(input) {
  const log = [];
  const iterable = {
    [Symbol.iterator]() {
      let i = 0;
      return {
        next() { i++; log.push("next" + i); return { value: i, done: i > 5 }; },
        return() { log.push("return"); return {}; },
      };
    },
  };
  const [a, b] = iterable;
  const [c, ...rest] = iterable;
  const [] = iterable;
  return { a, b, c, rest, log };
}
