function* inner() { var x = yield 'i1'; yield 'got ' + x; return 'inner result'; }
function* outer() {
  yield* [1, 2];
  yield* 'ab';
  var r = yield* inner();
  yield r;
  yield* [];
  return 'end';
}
function main(input) {
  var it = outer(), out = [], r = it.next();
  while (!r.done) { out.push(r.value); r = it.next('sent'); }
  out.push(r.value);
  return out;
}
