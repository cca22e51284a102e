function main(input) {
  const out = [];
  const o = { a: null, f: 5 };
  try { o.a?.b.c; out.push('short-circuit ok'); } catch (e) { out.push(e.name); }
  try { (o.a?.b).c; out.push('no error'); } catch (e) { out.push(e.name); }
  try { o.f?.(); out.push('no error'); } catch (e) { out.push(e.name); }
  return out;
}
