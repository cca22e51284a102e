function main(input) {
  const it = {
    [Symbol.iterator]() {
      return { next: () => ({ value: 1, done: false }), return: () => { throw new RangeError('from return'); } };
    }
  };
  try {
    for (const x of it) break;
    return 'no error';
  } catch (e) {
    return e.name + ': ' + e.message;
  }
}
