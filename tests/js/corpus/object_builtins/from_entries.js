function main(input) {
  const a = Object.fromEntries([['a', 1], ['b', 2]]);
  const b = Object.fromEntries(new Map([['m', true]]));
  const doubled = Object.fromEntries(Object.entries({ x: 1, y: 2 }).map(([k, v]) => [k.toUpperCase(), v * 2]));
  function* gen() { yield ['g', 'gen']; }
  return { a, b, doubled, g: Object.fromEntries(gen()) };
}
