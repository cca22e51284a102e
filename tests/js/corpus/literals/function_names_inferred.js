function main(input) {
  const arrow = () => {};
  const fnExpr = function () {};
  const o = { method() {}, prop: () => {}, ['comp' + 'uted']: function () {} };
  class C { static s() {} }
  return [arrow.name, fnExpr.name, o.method.name, o.prop.name, o.computed.name, C.s.name];
}
