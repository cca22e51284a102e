// The same, written by hand in ES5 (plain objects and arrays instead of Map and Set).
function main(input) {
  var text = input.text === undefined ? '' : input.text;
  var stop = input.stop === undefined ? [] : input.stop;
  var words = text.toLowerCase().split(/\W+/)
    .filter(function (w) { return w && stop.indexOf(w) < 0; });
  var counts = {}, order = [], unique = [];
  for (var i = 0; i < words.length; i++) {
    var w = words[i];
    if (!Object.prototype.hasOwnProperty.call(counts, w)) {
      counts[w] = 0;
      order.push(w);
      unique.push(w);
    }
    counts[w]++;
  }
  function pad(s, n, c, left) { while (s.length < n) s = left ? c + s : s + c; return s; }
  var top = order.map(function (w) { return [w, counts[w]]; })
    .sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); })
    .slice(0, 3)
    .map(function (e) { return pad(e[0], 6, '.', false) + pad(String(e[1]), 3, '0', true); });
  var stats = { words: words.length, unique: unique.length };
  var keys = Object.keys(stats).map(function (k) { return k + '=' + stats[k]; });
  var long = null;
  for (var j = 0; j < unique.length; j++)
    if (unique[j].length > 6) { long = unique[j]; break; }
  var starts = words.filter(function (w) { return w.charAt(0) === 't'; }).length;
  return { top: top, keys: keys, long: long, starts: starts };
}
