function main(input) {
  const out = [];
  const a = [1, 2, 3];
  for (const x of a) { out.push(x); if (x === 1) a.push(4); if (x === 3) a.length = 3; }
  const holes = [];
  for (const x of [1, , 3]) holes.push(x === undefined ? 'hole' : x);
  let gets = 0;
  const b = [10, 20];
  Object.defineProperty(b, 1, { get() { gets++; return 21; } });
  const seen = [];
  for (const x of b) seen.push(x);
  // an own @@iterator on an array is used
  const c = [1, 2, 3];
  c[Symbol.iterator] = function* () { yield 'own'; };
  const own = [];
  for (const x of c) own.push(x);
  // an array-like borrowing the array iterator
  const like = { length: 2, 0: 'a', 1: 'b', [Symbol.iterator]: Array.prototype[Symbol.iterator] };
  const fromLike = [];
  for (const x of like) fromLike.push(x);
  // nested loops over the same array, break and return
  const pairs = [];
  const arr = [1, 2, 3];
  for (const i of arr) { for (const j of arr) { if (j > i) break; pairs.push(i * 10 + j); } }
  const find = () => { for (const i of arr) if (i === 2) return 'found ' + i; return 'none'; };
  return { out, holes, seen, gets, own, fromLike, pairs, found: find() };
}
