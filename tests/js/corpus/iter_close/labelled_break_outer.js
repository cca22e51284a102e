function main(input) {
  const log = [];
  const mk = (name) => ({
    [Symbol.iterator]() {
      let n = 0;
      return {
        next: () => ({ value: n++, done: n > 5 }),
        return: () => { log.push('close ' + name); return {}; }
      };
    }
  });
  outer: for (const a of mk('outer')) {
    for (const b of mk('inner')) {
      if (b === 1) break outer;
    }
  }
  return log;
}
