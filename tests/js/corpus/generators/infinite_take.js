function* naturals() { var n = 0; while (true) yield n++; }
function* take(it, n) { var i = 0; for (var r = it.next(); !r.done && i < n; r = it.next(), i++) yield r.value; }
function* map(it, f) { var r; while (!(r = it.next()).done) yield f(r.value); }
function* filter(it, p) { var r; while (!(r = it.next()).done) if (p(r.value)) yield r.value; }
function main(input) {
  var out = [];
  var it = take(map(filter(naturals(), function (x) { return x % 3 === 0; }), function (x) { return x * x; }), 6);
  for (var r = it.next(); !r.done; r = it.next()) out.push(r.value);
  return out;
}
