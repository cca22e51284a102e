function main(input) {
  class A {}
  class B extends A {
    constructor() {
      let err = null;
      try { this.x = 1; } catch (e) { err = e.name; }
      super();
      this.err = err;
    }
  }
  return new B().err;
}
