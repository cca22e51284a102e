function main(input) {
  class Range {
    constructor(a, b) { this.a = a; this.b = b; }
    *[Symbol.iterator]() { for (let i = this.a; i < this.b; i++) yield i; }
    static *evens(n) { for (let i = 0; i < n; i += 2) yield i; }
  }
  return [[...new Range(2, 6)], [...Range.evens(7)]];
}
