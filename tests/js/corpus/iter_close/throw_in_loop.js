function main(input) {
  const log = [];
  const it = {
    [Symbol.iterator]() {
      return { next: () => ({ value: 'v', done: false }), return: () => { log.push('return called'); return {}; } };
    }
  };
  try {
    for (const x of it) throw new Error('inside ' + x);
  } catch (e) {
    log.push(e.message);
  }
  return log;
}
