function main(input) {
  const out = [];
  const n = 5;
  try { n += 1; } catch (e) { out.push(e.name); }
  try { n++; } catch (e) { out.push(e.name); }
  out.push(n);
  return out;
}
