class A { constructor(x) { this.x = x } } class B extends A { constructor() { var f = () => super(7); f() } } console.log(new B().x);
