class A { constructor(n) { this.n = n } hi() { return "A" + this.n } static s() { return "sA" } }
class B extends A { constructor() { super(5); } hi() { return "B" + super.hi() } static s() { return "sB" + super.s() } }
console.log(new B().hi(), B.s(), new B() instanceof A);
