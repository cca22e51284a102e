function main(input) {
  var fns = [];
  for (var i = 0; i < 4; i++) {
    fns.push((function (j) { return function () { return j * j; }; })(i));
  }
  var out = [];
  for (var k = 0; k < fns.length; k++) out.push(fns[k]());
  return out;
}
