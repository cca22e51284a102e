function main(input) {
  const a = Symbol('desc'), b = Symbol('desc');
  const g1 = Symbol.for('app.key'), g2 = Symbol.for('app.key');
  return [a === b, g1 === g2, Symbol.keyFor(g1), Symbol.keyFor(a), a.toString(), String(b), typeof Symbol.iterator, typeof Symbol.asyncIterator];
}
