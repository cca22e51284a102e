function main(input) {
  var a = [], b = [];
  for (var i = 0; i < 3; i++) a.push(function () { return i; });
  for (let j = 0; j < 3; j++) b.push(function () { return j; });
  return { varLoop: a.map(function (f) { return f(); }), letLoop: b.map(function (f) { return f(); }) };
}
