function main(input) {
  const r = {};
  // short arrays: missing elements are undefined, defaults apply
  const [a, b = 'dflt', c] = [1];
  r.short = [a, b, c];
  // holes read their element (a getter there runs)
  let reads = 0;
  const g = [0, 1, 2];
  Object.defineProperty(g, 0, { get() { reads++; return 'zero'; } });
  const [, second] = g;
  r.hole = [second, reads];
  // defaults that change the array: the iteration sees the change, as the ArrayIterator would
  const arr = [];
  const [x = arr.push(7, 8), y] = arr;
  r.grow = [x, y];
  const arr2 = [1, 2, 3];
  const [p = 0, q = arr2.pop() && arr2.pop() && arr2.pop(), s] = arr2.slice(0, 1).concat([undefined, 3]);
  r.shrink = [p, q, s];
  // nested and member targets
  const o = {};
  [o.first, [o.inner1, o.inner2] = ['i1', 'i2']] = ['f'];
  r.members = o;
  // strings, Sets, Maps, generators, arguments
  const [c1, c2] = 'a\u{1F600}b';
  const [s1] = new Set(['set']);
  const [[mk, mv]] = new Map([['k', 'v']]);
  function* gen() { yield 'g1'; yield 'g2'; r.genDone = true; }
  const [g1] = gen();
  const fromArgs = (function () { const [x1, x2] = arguments; return [x1, x2]; })('x', 'y');
  r.iterables = [c1, c2, s1, mk, mv, g1, r.genDone === undefined, fromArgs];
  // errors
  const errs = [];
  for (const v of [null, undefined, 5, {}]) {
    try { const [z] = v; errs.push(z); } catch (e) { errs.push(e.constructor.name + ': ' + e.message); }
  }
  r.errs = errs;
  // an array pattern in a parameter and a for-of head, with an array-like borrowing the iterator
  const like = { length: 2, 0: 'l0', 1: 'l1', [Symbol.iterator]: Array.prototype[Symbol.iterator] };
  const sum = ([m, n]) => m + n;
  r.params = [sum([1, 2]), sum(like), sum('xy')];
  const heads = [];
  for (const [k, v = 'none'] of [['a', 1], ['b'], 'cd']) heads.push(k + v);
  r.heads = heads;
  // assignment patterns: value of the expression, swap
  let m = 1, n = 2;
  const value = [m, n] = [n, m];
  r.swap = [m, n, value.length];
  return r;
}
