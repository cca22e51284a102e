function main(input) {
  const range = { from: 1, to: 4, [Symbol.iterator]() { let c = this.from, t = this.to; return { next: () => (c <= t ? { value: c++, done: false } : { value: undefined, done: true }) }; } };
  return [[...range], Math.max(...range), Array.from(range, (x) => x * 10)];
}
