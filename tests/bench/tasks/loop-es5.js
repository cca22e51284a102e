function main(input) {
  var n = input.n === undefined ? 3000 : input.n;
  var rounds = input.rounds === undefined ? 10 : input.rounds;
  var pts = [];
  var i;
  for (i = 0; i < n; i++) pts.push({ x: i % 97, y: (i * 7) % 89, w: [i % 5, i % 3] });
  function score(p, w) { return p.x * w[0] - p.y * w[1]; }
  var acc = 0, best = 0;
  for (var r = 0; r < rounds; r++) {
    for (var k = 0; k < pts.length; k++) {
      var p = pts[k];
      var w0 = p.w[0], w1 = p.w[1];
      var s = score(p, [w0 + r, w1]);
      acc += s;
      if (s > best) best = s;
    }
    var pairs = [[r, 1], [r + 1, 2]];
    for (var j = 0; j < pairs.length; j++) acc += pairs[j][0] * pairs[j][1];
  }
  var sum = pts.map(function (p) { return p.x + p.y; })
    .filter(function (v) { return v % 2 === 0; })
    .reduce(function (a, v) { return a + v; }, 0);
  return { acc: acc, best: best, sum: sum };
}
