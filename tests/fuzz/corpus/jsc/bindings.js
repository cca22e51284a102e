function main(input) {
  const out = [];
  let n = 0;
  while (n < 3) {
    const sq = n * n;
    let label = "v" + n;
    out.push(function () { return label + "=" + sq; });
    n++;
  }
  var k;
  do {
    let x;
    x = x === undefined ? "fresh" : "stale";
    out.push(function () { return x; });
    k = (k || 0) + 1;
  } while (k < 2);
  return out.map(function (f) { return f(); });
}
