function main(input) {
  const log = [];
  function* pairs() { try { yield ['a', 1]; yield ['b', 2]; } finally { log.push('pairs finished'); } }
  const m = new Map(pairs());
  const s = new Set(pairs());
  return { size: m.size, get: m.get('b'), setSize: s.size, log };
}
