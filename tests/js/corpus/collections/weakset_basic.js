function main(input) {
  const ws = new WeakSet();
  const a = {}, b = {};
  ws.add(a);
  const out = [ws.has(a), ws.has(b), ws.add(b) === ws, ws.delete(a), ws.has(a)];
  try { ws.add(1); out.push('no error'); } catch (e) { out.push(e instanceof TypeError); }
  return out;
}
