function main(input) {
  var o = { _v: 1 };
  Object.defineProperty(o, 'v', { get: function () { return this._v * 10; }, set: function (x) { this._v = x; }, enumerable: false });
  o.v = 4;
  var frozen = Object.freeze({ a: 1 });
  return { v: o.v, keys: Object.keys(o).sort(), isFrozen: Object.isFrozen(frozen) };
}
