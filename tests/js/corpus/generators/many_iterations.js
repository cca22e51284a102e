function* count(n) { for (var i = 0; i < n; i++) yield i; }
async function main(input) {
  var s = 0;
  for (var it = count(20000), r = it.next(); !r.done; r = it.next()) s += r.value;
  var a = 0;
  for (var i = 0; i < 2000; i++) a += await i;
  return [s, a];
}
