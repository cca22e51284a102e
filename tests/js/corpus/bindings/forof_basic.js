function main(input) {
  const out = [];
  for (const ch of "a😀b") out.push(ch.length === 2 ? ch.codePointAt(0) : ch);
  let sum = 0;
  for (let n of [1, 2, 3]) { n *= 2; sum += n; }
  const fns = [];
  for (const w of ["x", "y"]) fns.push(() => w);
  let last;
  for (last of [4, 5]) {}
  const o = {};
  for (o.k of [6]) {}
  label: for (const i of [1, 2, 3]) { for (const j of [1, 2]) { if (j === 2) continue label; out.push(i * 10 + j); } }
  return { out, sum, fns: fns.map((f) => f()), last, k: o.k };
}
