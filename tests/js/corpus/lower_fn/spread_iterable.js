function main(input) {
  const m = new Map([["a", 1], ["b", 2]]);
  const it = { [Symbol.iterator]() { let i = 0; return { next: () => ({ value: i, done: i++ >= 3 }) }; } };
  function args() { return [...arguments]; }
  return [[...m], [...m.keys()], [...it], args(4, 5), Math.min(...it)];
}
