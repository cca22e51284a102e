function main(input) {
  const out = [];
  try { const { a } = null; out.push(a); } catch (e) { out.push(e instanceof TypeError); }
  try { const [x] = undefined; out.push(x); } catch (e) { out.push(e instanceof TypeError); }
  try { const [y] = {}; out.push(y); } catch (e) { out.push(e instanceof TypeError); }
  const { length } = 'abc';
  out.push(length);
  return out;
}
