// Temporal dead zone: uses that may come before the declaration throw ReferenceError; uses
// after it (straight-line, closures made later, hoisted functions called later) do not.
function attempt(f) {
  try {
    return f();
  } catch (e) {
    return e.name + ': ' + e.message;
  }
}

const late = () => laterConst;
const laterConst = 'ready';

function hoistedReader() { return topLet; }
const early = attempt(hoistedReader);
let topLet = 'top';

class Early { static make() { return new Later(); } }
class Later {}

function main(input) {
  const out = [];
  out.push(early);
  out.push(late());
  out.push(hoistedReader());
  out.push(attempt(() => { x = 1; let x; return x; }));
  out.push(attempt(() => { const y = y + 1; return y; }));
  out.push(attempt(() => { let z = 1; z++; z += 2; return z; }));
  out.push(attempt(() => { let q = 0; q += q2; let q2 = 5; return q; }));
  out.push(attempt(() => typeof undeclaredThing));
  out.push(attempt(() => { const r = typeof t; let t = 1; return r; }));
  out.push(attempt(() => { function f() { return w; } const w = 3; return f(); }));
  out.push(attempt(() => { function f() { return w; } const v = f(); const w = 3; return v; }));
  out.push(attempt(() => { function g() { return h(); } function h() { return k; } g(); let k = 1; return k; }));
  out.push(attempt(() => { const fact = (n) => (n <= 1 ? 1 : n * fact(n - 1)); return fact(5); }));
  out.push(attempt(() => { const o = { m() { return o.v; }, v: 7 }; return o.m(); }));
  out.push(attempt(() => { const res = []; for (let i = 0; i < 3; i++) { if (i > 0) res.push(attempt(() => prev)); let prev = i; } return res; }));
  out.push(attempt(() => { switch (1) { case 0: let s = 1; break; case 1: s = 2; return s; } return 'none'; }));
  out.push(attempt(() => { let n = 2; let m = 0; while (n-- > 0) { m += 1; let inner = m; m = inner * 2; } return m; }));
  out.push(attempt(() => Early.make() instanceof Later));
  out.push(attempt(() => { new C2(); class C2 {} return 'made'; }));
  out.push(attempt(() => { let cnt = 0; const inc = () => cnt++; inc(); inc(); return cnt; }));
  return out;
}
