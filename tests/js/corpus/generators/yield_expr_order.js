function main(input) {
  var log = [];
  function f(tag) { log.push(tag); return tag; }
  var obj = { m: function () { log.push('m:' + Array.prototype.join.call(arguments, ',')); return this === obj; } };
  function* g() {
    var a = f('a') + (yield 1) + f('c');
    var b = [f('x'), yield 2, f('z')];
    var c = obj.m(f('p'), yield 3, f('q'));
    var d = { k1: f('k1'), k2: yield 4 };
    var e = (yield 5) ? f('yes') : f('no');
    var h = f('l') && (yield 6);
    var i = f('') || (yield 7);
    var x = 10;
    x += yield 8;
    var arr = [0, 0];
    arr[f(1)] = yield 9;
    return [a, b, c, d, e, h, i, x, arr];
  }
  var it = g(), r = it.next(), k = 0, vals = ['B', 'Y', 'P', 'K', false, 'L', 'I', 5, 'nine'];
  while (!r.done) r = it.next(vals[k++]);
  return { result: r.value, log: log };
}
