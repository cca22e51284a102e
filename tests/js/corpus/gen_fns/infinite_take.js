function main(input) {
  function* naturals() { let n = 0; while (true) yield n++; }
  function* take(it, k) { let i = 0; for (const v of it) { if (i++ >= k) return; yield v; } }
  function* map(it, f) { for (const v of it) yield f(v); }
  function* filter(it, p) { for (const v of it) if (p(v)) yield v; }
  return [...take(map(filter(naturals(), (n) => n % 3 === 0), (n) => n * n), 6)];
}
