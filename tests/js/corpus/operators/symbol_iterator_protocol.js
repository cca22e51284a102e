function main(input) {
  const it = [10, 20][Symbol.iterator]();
  const first = it.next(), second = it.next(), done = it.next();
  const sit = 'ab'[Symbol.iterator]();
  return [Symbol.iterator in [], Symbol.iterator in 'abc'.constructor.prototype, Symbol.iterator in {}, first, second, done, sit.next().value, typeof [][Symbol.iterator]];
}
