// input: {"prices": {"apple": 1.5, "pear": 2, "fig": 3}}
function main(input) {
  const m = new Map(Object.entries(input.prices));
  m.set('apple', m.get('apple') * 2);
  const sorted = [...m].sort(([, a], [, b]) => b - a);
  return { sorted, back: Object.fromEntries(m) };
}
