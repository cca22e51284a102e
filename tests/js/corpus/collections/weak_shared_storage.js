// WeakMap and WeakSet share their storage (runtime/weak.js): frozen keys, errors, delete.
function main(input) {
  const m = new WeakMap([[{}, 1]]); const k = Object.freeze({}); m.set(k, 2);
  const s = new WeakSet(); const o = {}; s.add(o);
  let e1, e2, e3;
  try { m.set(1, 2); } catch (e) { e1 = e.message; }
  try { WeakMap.prototype.get.call({}, o); } catch (e) { e2 = e.name; }
  try { new WeakMap([1]); } catch (e) { e3 = e.message; }
  return [m.get(k), m.has(o), s.has(o), s.delete(o), s.has(o), m.delete(k), m.has(k), e1, e2, e3, Object.keys(o)];
}
