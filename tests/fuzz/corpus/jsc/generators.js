async function main(input) {
  var v = function (x) { return Promise.resolve(x); };
  var a = (await v(1)) + (await v(2)) * (await v(3));
  var b = (await v(false)) || (await v('fallback'));
  var c = (await v(true)) ? await v('yes') : await v('no');
  var d = { k: await v('kv'), arr: [await v(1), 2, await v(3)] };
  var e = [await v('x')].concat(await v(['y', 'z']));
  var f = 0;
  f += await v(5);
  var g = typeof (await v(null));
  var h = JSON.stringify(await v({ q: 1 }));
  return [a, b, c, d, e, f, g, h];
}
