function main(input) {
  const log = [];
  const iterable = (name, n, badReturn) => ({
    [Symbol.iterator]() {
      let i = 0;
      return {
        next() { i++; return { value: i, done: i > n }; },
        return() { log.push('close ' + name); if (badReturn) throw new Error('return of ' + name); return {}; }
      };
    }
  });
  // return from two nested loops closes both, inner first
  const f = () => { for (const a of iterable('A', 3)) for (const b of iterable('B', 3)) if (b === 2) return a * 10 + b; };
  log.push('f=' + f());
  // continue of an outer label closes the inner iterator only
  outer: for (const a of iterable('C', 2)) { for (const b of iterable('D', 3)) { if (b === 1) continue outer; } }
  // break inside a switch does not leave the loop
  for (const a of iterable('E', 2)) { switch (a) { case 1: break; default: log.push('e' + a); } }
  // an error of return() after break propagates; after a throw it is dropped
  try { for (const a of iterable('F', 3, true)) break; } catch (e) { log.push(e.message); }
  try { for (const a of iterable('G', 3, true)) throw new Error('body'); } catch (e) { log.push(e.message); }
  // try/finally in the body: the finally replaces the break with a throw
  try { for (const a of iterable('H', 3, true)) { try { break; } finally { throw new Error('finally'); } } } catch (e) { log.push(e.message); }
  // labelled block inside the body
  for (const a of iterable('I', 1)) { blk: { if (a) break blk; log.push('never'); } log.push('after blk'); }
  // return with a value computed by a call that throws: quiet close
  const g = () => { for (const a of iterable('J', 3, true)) return (() => { throw new Error('ret expr'); })(); };
  try { g(); } catch (e) { log.push(e.message); }
  return log;
}
