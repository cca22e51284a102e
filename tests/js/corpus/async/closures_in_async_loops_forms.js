// Loops with await whose let/const bindings are captured: every iteration has its own binding
// (for heads copied before the update, for-of/for-in heads, body lets, nested loops).
async function main(input) {
  const fns = [];
  for (let i = 0, seen = 'x'; i < 3; i++) {
    await null;
    if (i === 1) continue;
    fns.push(() => `${i}${seen}`);
    seen += i;
  }
  for (const v of ['a', 'b']) {
    const upper = await Promise.resolve(v.toUpperCase());
    let count = 0;
    fns.push(() => v + upper + ++count);
  }
  for (let k in { p: 1, q: 2 }) {
    await null;
    fns.push(() => k);
  }
  let n = 0;
  outer: while (n < 2) {
    let here = n++;
    for (let j = 0; j < 3; j++) {
      await null;
      if (j === 2) continue outer;
      fns.push(() => [here, j].join(':'));
    }
  }
  const counters = [];
  for (let c = 0; c < 2; c++) {
    counters.push(() => ++c);
    await null;
  }
  let err = null;
  for (const fixed of [1]) {
    await null;
    fns.push(() => fixed);
    try { fixed = 2; } catch (e) { err = e.name; }
  }
  return { values: fns.map((f) => f()), counters: counters.map((f) => f()), err };
}
