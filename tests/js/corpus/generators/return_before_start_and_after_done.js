function* g() { yield 1; yield 2; }
function main(input) {
  var out = [];
  var a = g();
  out.push(a['return'](7));
  out.push(a.next());
  var b = g();
  try { b['throw'](new TypeError('x')); } catch (e) { out.push(e.name); }
  out.push(b.next());
  var c = g();
  out.push(c.next(), c.next(), c.next(), c.next());
  out.push(c['return'](9));
  try { c['throw'](new RangeError('y')); } catch (e) { out.push(e.name); }
  return out;
}
