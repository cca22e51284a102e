function main(input) {
  class P { constructor(...args) { this.args = args; } }
  class C extends P { constructor(...args) { super(0, ...args, 9); } }
  return new C(1, 2).args;
}
