function main(input) {
  const out = [];
  try { const a = [...{}]; out.push(a); } catch (e) { out.push(e.name); }
  try { Math.max(...5); } catch (e) { out.push(e.name); }
  try { const n = null; [...n]; } catch (e) { out.push(e.name); }
  return out;
}
