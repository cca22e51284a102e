var counter = {
  base: 10,
  gen: function* () {
    for (var i = 0; i < arguments.length; i++) yield this.base + arguments[i];
  }
};
function* argsLater() { yield 0; yield arguments.length; yield Array.prototype.slice.call(arguments); }
function main(input) {
  var out = [];
  var it = counter.gen(1, 2, 3);
  for (var r = it.next(); !r.done; r = it.next()) out.push(r.value);
  var a = argsLater('x', 'y');
  out.push(a.next().value, a.next().value, a.next().value);
  return out;
}
