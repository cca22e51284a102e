function main(input) {
  class A { setV(v) { this.v = v; return this; } }
  class B extends A { setV(v) { return super.setV(v * 2); } }
  const b = new B().setV(21);
  return [b.v, b instanceof B];
}
