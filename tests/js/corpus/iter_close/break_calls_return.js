function main(input) {
  const log = [];
  const iterable = {
    [Symbol.iterator]() {
      let i = 0;
      return {
        next() { log.push('next'); return { value: ++i, done: false }; },
        return() { log.push('return'); return { done: true }; }
      };
    }
  };
  for (const x of iterable) { if (x === 2) break; }
  return log;
}
