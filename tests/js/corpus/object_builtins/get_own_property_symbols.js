function main(input) {
  const s1 = Symbol('one'), s2 = Symbol.for('two');
  const o = { [s1]: 1, plain: 2, [s2]: 3 };
  const syms = Object.getOwnPropertySymbols(o);
  return [syms.length, syms.map((s) => s.toString()), Object.getOwnPropertyNames(o)];
}
