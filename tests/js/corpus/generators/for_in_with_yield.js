function* keys(o) {
  for (var k in o) {
    if (k === 'b') delete o.c;
    yield k + '=' + o[k];
  }
}
function main(input) {
  var out = [];
  var it = keys({ a: 1, b: 2, c: 3, d: 4 });
  for (var r = it.next(); !r.done; r = it.next()) out.push(r.value);
  var it2 = keys(null);
  out.push(it2.next().done);
  return out;
}
