function main(input) {
  class Shape { get area() { return 0; } describe() { return this.constructor.name + ':' + this.area; } }
  class Sq extends Shape { constructor(s) { super(); this.s = s; } get area() { return this.s ** 2; } }
  class Circle extends Shape { constructor(r) { super(); this.r = r; } get area() { return Math.round(Math.PI * this.r * this.r); } }
  return [new Shape().describe(), new Sq(3).describe(), new Circle(2).describe()];
}
