function main(input) {
  const m = new Map();
  m.set('z', 1).set('a', 2).set(3, 'three');
  const s = new Set(['q', 'b', 'q', 'a']);
  const mOut = [], sOut = [];
  for (const [k, v] of m) mOut.push([k, v]);
  for (const v of s) sOut.push(v);
  return { mOut, sOut };
}
