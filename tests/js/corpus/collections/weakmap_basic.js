function main(input) {
  const wm = new WeakMap();
  const k1 = {}, k2 = function () {};
  wm.set(k1, 'one').set(k2, 'two');
  const out = [wm.get(k1), wm.get(k2), wm.has(k1), wm.has({}), wm.delete(k1), wm.has(k1), wm.get(k1)];
  try { wm.set('primitive', 1); out.push('no error'); } catch (e) { out.push(e instanceof TypeError); }
  return out;
}
