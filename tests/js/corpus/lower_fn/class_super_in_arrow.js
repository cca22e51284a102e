class A { greet(x) { return "A" + x; } get p() { return "P" + this.tag; } }
class B extends A {
  constructor() { super(); this.tag = "b"; this.fns = [1, 2].map(n => this.tag + n); }
  greet(x) { const f = y => super.greet(y) + this.tag; return f(x); }
  prop() { return [1].map(() => super.p)[0]; }
}
function main(input) {
  const b = new B();
  return [b.greet("!"), b.prop(), b.fns];
}
