function* g() {
  var e = 'outer e';
  var fns = [];
  try {
    yield 1;
    throw new Error('first');
  } catch (e) {
    fns.push(function () { return e.message; });
    yield e.message;
    var shadow = (function (e) { return e; })('param wins');
    fns.push(function () { return shadow; });
  }
  try { throw 'plain'; } catch (e) { fns.push(function () { return e; }); }
  yield e;
  return fns.map(function (f) { return f(); });
}
function main(input) {
  var out = [];
  for (var it = g(), r = it.next(); ; r = it.next()) { out.push(r.value); if (r.done) break; }
  return out;
}
