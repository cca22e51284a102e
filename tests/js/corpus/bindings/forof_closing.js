function makeIter(log, n) {
  let i = 0;
  return {
    [Symbol.iterator]() { return this; },
    next() { i++; return { value: i, done: i > n }; },
    return() { log.push("closed at " + i); return {}; },
  };
}
function main(input) {
  const log = [];
  for (const v of makeIter(log, 5)) { if (v === 2) break; }
  for (const v of makeIter(log, 2)) { log.push("v" + v); }
  function early() { for (const v of makeIter(log, 5)) { if (v === 3) return v; } }
  log.push("early " + early());
  try { for (const v of makeIter(log, 5)) { if (v === 1) throw new Error("boom"); } }
  catch (e) { log.push(e.message); }
  outer: for (const a of [1, 2]) {
    for (const v of makeIter(log, 5)) { if (v === 2) continue outer; }
  }
  return log;
}
