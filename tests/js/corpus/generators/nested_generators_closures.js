function* outer() {
  var fns = [];
  for (var i = 0; i < 3; i++) {
    fns.push(function* (k) { yield k * 10; yield k * 100; });
    var n = yield i;
  }
  function* local() { yield 'local'; }
  yield* local();
  for (var j = 0; j < fns.length; j++) yield* fns[j](j);
}
function main(input) {
  var out = [];
  for (var it = outer(), r = it.next(); !r.done; r = it.next()) out.push(r.value);
  return out;
}
