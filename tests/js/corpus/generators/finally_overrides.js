function* g() {
  try {
    yield 1;
    return 'from try';
  } finally {
    return 'from finally';
  }
}
function* h() {
  try {
    throw new Error('lost');
  } finally {
    yield 'in finally';
  }
}
function main(input) {
  var out = [];
  var a = g();
  out.push(a.next(), a.next(), a.next());
  var b = g();
  b.next();
  out.push(b['return']('ret'));
  var c = h();
  out.push(c.next());
  try { c.next(); } catch (e) { out.push('threw ' + e.message); }
  var d = h();
  d.next();
  out.push(d['return']('dropped error'));
  return out;
}
