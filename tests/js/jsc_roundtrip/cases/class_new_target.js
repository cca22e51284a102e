function F() { return new.target === F } class A { constructor() { this.t = new.target.name } } class B extends A {}
console.log(new F(), F(), new A().t, new B().t);
