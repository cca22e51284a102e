function main(input) {
  const log = [];
  const mk = () => ({
    [Symbol.iterator]() {
      return { next: () => ({ value: 1, done: false }), return: () => { log.push('closed'); return {}; } };
    }
  });
  function f() { for (const x of mk()) { return x + 1; } }
  const r = f();
  return { r, log };
}
