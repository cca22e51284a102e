function main(input) {
  var log = [];
  function a() { log.push('a'); return 1; }
  function c() { log.push('c'); return 3; }
  var f = function (x, y, z) { log.push('f'); return [x, y, z]; };
  function* g() { return f(a(), yield 'b', c()); }
  var it = g();
  var first = it.next();
  log.push('between');
  f = function () { return 'replaced'; };
  var last = it.next(2);
  return [first, last, log];
}
