function main(input) {
  const s = Symbol('id'), w = Symbol.iterator;
  const o = { plain: 1 };
  o[s] = 'hidden';
  const kinds = [typeof s, typeof w, typeof 'str', typeof 1, typeof undefinedAnywhere, typeof o, typeof (() => s)];
  const strings = [String(s), String(Symbol()), String(w), [s, 'x'].map(String), String(), String('text'), String(42)];
  return {
    kinds, strings,
    keys: Object.keys(o), names: Object.getOwnPropertyNames(o), entries: Object.entries(o),
    json: JSON.stringify({ a: s, b: [s, 1], [s]: 2, c: 'ok' }), top: JSON.stringify(s) === undefined,
    replacer: JSON.stringify({ x: 1, y: 2, [s]: 3 }, (k, v) => (k === 'y' ? undefined : v)),
    hasSym: Object.getOwnPropertySymbols(o).length, returned: o
  };
}
