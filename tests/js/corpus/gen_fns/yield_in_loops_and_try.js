function main(input) {
  function* g() {
    for (let i = 0; i < 3; i++) {
      try {
        if (i === 1) throw new Error('e' + i);
        yield 'ok' + i;
      } catch (e) {
        yield 'caught ' + e.message;
      } finally {
        yield 'finally' + i;
      }
    }
  }
  return [...g()];
}
