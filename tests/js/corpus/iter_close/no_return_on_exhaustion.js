function main(input) {
  const log = [];
  const it = {
    [Symbol.iterator]() {
      let n = 0;
      return {
        next: () => (n < 2 ? { value: n++, done: false } : { value: undefined, done: true }),
        return: () => { log.push('return'); return {}; }
      };
    }
  };
  for (const x of it) log.push(x);
  return log;
}
