function main(input) {
  class Counter {
    static create() { return new Counter(Counter.start); }
    static get label() { return 'Counter'; }
    constructor(n) { this.n = n; }
  }
  Counter.start = 5;
  class Sub extends Counter {
    static create() { const c = super.create(); c.n *= 2; return c; }
  }
  return [Counter.create().n, Sub.create().n, Sub.label, Sub.start];
}
