// stack-has: main.js:9:24
// message-has: ValidationFailure: negative: -5
function main(input) {
  class ValidationFailure extends Error { constructor(m) { super(m); this.name = 'ValidationFailure'; } }
  class Base { constructor(v) { this.v = v; } }
  class Positive extends Base {
    constructor(v) {
      super(v);
      if (v < 0) throw new ValidationFailure(`negative: ${v}`);
    }
  }
  return new Positive(-5).v;
}
