class A { constructor(a, b) { this.sum = a + b; this.n = arguments.length; } }
class B extends A {}
class C extends B { m() { return this.sum * 2; } }
function main(input) {
  const c = new C(2, 5, 9);
  return [c.sum, c.n, c.m(), c instanceof A];
}
