function* g() {
  var out = [];
  outer: for (var i = 0; i < 4; i++) {
    inner: for (var j = 0; j < 4; j++) {
      if (j === 2) continue outer;
      if (i === 3) break outer;
      out.push(yield [i, j]);
    }
  }
  blk: {
    yield 'in block';
    if (out.length) break blk;
    out.push('not reached');
  }
  var k = 0;
  while (true) {
    k++;
    if (k < 3) continue;
    for (var m = 0; m < 10; m++) { if (m === 1) break; }
    yield 'k' + k + 'm' + m;
    if (k > 4) break;
  }
  return out;
}
function main(input) {
  var it = g(), r = it.next(), vals = [], n = 0;
  while (!r.done) { vals.push(r.value); r = it.next(n++); }
  vals.push(r.value);
  return vals;
}
