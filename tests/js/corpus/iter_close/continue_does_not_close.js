function main(input) {
  const log = [];
  const it = {
    [Symbol.iterator]() {
      let n = 0;
      return {
        next: () => (n < 3 ? { value: n++, done: false } : { done: true }),
        return: () => { log.push('return'); return {}; }
      };
    }
  };
  for (const x of it) { if (x === 1) continue; log.push(x); }
  return log;
}
