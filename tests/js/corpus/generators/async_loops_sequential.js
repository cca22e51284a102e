async function main(input) {
  var wait = function (v) { return new Promise(function (res) { res(v); }); };
  var total = 0, seen = [];
  for (var i = 0; i < 5; i++) total += await wait(i);
  var j = 0;
  while (await wait(j < 3)) { seen.push(j); j++; }
  do { seen.push('d' + j); j--; } while (await wait(j > 1));
  var obj = { x: 1, y: 2 };
  for (var k in obj) seen.push(k + (await wait(obj[k])));
  var results = [];
  for (const v of [3, 1, 2]) results.push(await wait(v * 2));
  return { total: total, seen: seen.sort(), results: results };
}
