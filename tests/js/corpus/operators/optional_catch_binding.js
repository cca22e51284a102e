function main(input) {
  const out = [];
  try { JSON.parse('{bad'); } catch { out.push('caught without binding'); }
  try { out.push('no throw'); } catch { out.push('never'); } finally { out.push('finally'); }
  return out;
}
