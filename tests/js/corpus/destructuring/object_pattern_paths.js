function main(input) {
  const r = {};
  const { a, b = 1, ['c' + 1]: c = 'cd' } = { a: 'A', c1: undefined };
  r.basic = [a, b, c];
  const errs = [];
  const tries = [
    () => { const { x } = null; return x; },
    () => { const { } = undefined; return 'empty'; },
    () => { const { [errs.push('key evaluated')]: k } = null; return k; },
    () => { const { ...rest } = null; return rest; },
    () => { const { y: { z } } = { y: undefined }; return z; },
    () => { let p; ({ p } = undefined); return p; },
  ];
  for (const t of tries) { try { errs.push(t()); } catch (e) { errs.push(e.constructor.name + ': ' + e.message); } }
  r.errs = errs;
  const { length, 0: first } = 'str';
  r.prim = [length, first];
  function f({ u, v } = {}, { w } = { w: 'W' }) { return [u, v, w]; }
  r.params = [f(), f({ u: 1, v: 2 }, { w: 3 })];
  let q = { k: 1 };
  const { k: k1, k2 = (q = null) } = q;
  r.reassign = [k1, k2, q];
  return r;
}
