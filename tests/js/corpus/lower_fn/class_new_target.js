class Shape {
  constructor() { this.made = new.target.name; this.isBase = new.target === Shape; }
}
class Circle extends Shape {}
function F() { return new.target === undefined ? "call" : "new"; }
function main(input) {
  const arrow = function () { return (() => new.target === undefined)(); };
  return [new Shape().made, new Circle().made, new Shape().isBase, new Circle().isBase,
          F(), new F() instanceof F, arrow(), new arrow() instanceof arrow];
}
