function main(input) {
  const out = ['ab'.repeat(3), 'x'.repeat(0), ''.repeat(5)];
  try { 'a'.repeat(-1); } catch (e) { out.push(e.name); }
  try { 'a'.repeat(Infinity); } catch (e) { out.push(e.name); }
  return out;
}
