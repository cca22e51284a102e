async function main(input) {
  const log = [];
  const later = (v, n) => { let p = Promise.resolve(v); for (let i = 0; i < n; i++) p = p.then((x) => x); return p.then((x) => { log.push(x); return x; }); };
  const r = await Promise.all([later('slow', 5), later('fast', 1), later('mid', 3)]);
  return { r, log };
}
