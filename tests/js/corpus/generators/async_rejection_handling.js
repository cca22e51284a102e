async function main(input) {
  var out = [];
  async function fails(msg) { await null; throw new TypeError(msg); }
  async function syncThrow() { throw new RangeError('sync'); }
  try { await fails('late'); } catch (e) { out.push(e.name + ':' + e.message); }
  var p = syncThrow();
  out.push(typeof p.then);
  await p.then(null, function (e) { out.push('rejected ' + e.name); });
  try { await Promise.reject(new Error('direct')); } catch (e) { out.push(e.message); }
  try {
    try { await fails('inner'); } finally { out.push('finally ran'); }
  } catch (e) { out.push('outer caught ' + e.message); }
  var r = await fails('x').catch(function (e) { return 'recovered ' + e.message; });
  out.push(r);
  return out;
}
