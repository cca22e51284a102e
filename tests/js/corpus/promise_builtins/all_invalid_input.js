async function main(input) {
  const out = [];
  try { await Promise.all(5); } catch (e) { out.push(e.name); }
  try { await Promise.race(); } catch (e) { out.push(e.name); }
  return out;
}
