function main(input) {
  class Base { constructor(a, b) { this.sum = a + b; } }
  class Derived extends Base {}
  return new Derived(2, 3).sum;
}
