function main(input) {
  const out = [];
  for (const v of [{}, 42, null, undefined]) {
    try { for (const x of v) out.push(x); out.push('no error'); } catch (e) { out.push(e.name); }
  }
  return out;
}
