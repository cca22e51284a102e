function main(input) {
  class Temp {
    constructor(c) { this._c = c; }
    get f() { return this._c * 9 / 5 + 32; }
    set f(v) { this._c = (v - 32) * 5 / 9; }
  }
  const t = new Temp(100);
  const before = t.f;
  t.f = 32;
  return { before, after: t._c, desc: typeof Object.getOwnPropertyDescriptor(Temp.prototype, 'f').get };
}
