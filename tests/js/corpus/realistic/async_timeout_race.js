async function main(input) {
  const ticks = (n, v) => { let p = Promise.resolve(v); for (let i = 0; i < n; i++) p = p.then((x) => x); return p; };
  const withTimeout = (p, n) => Promise.race([p, ticks(n).then(() => { throw new Error('timeout'); })]);
  const results = await Promise.allSettled([withTimeout(ticks(2, 'fast'), 5), withTimeout(ticks(9, 'slow'), 5)]);
  return results.map((r) => r.value ?? r.reason.message);
}
