function main(input) {
  const out = [];
  try { 'aa'.matchAll(/a/); out.push('no error'); } catch (e) { out.push(e.name); }
  out.push([...'aXbX'.matchAll('X')].map((m) => m.index));
  return out;
}
