class Point {
  constructor(x, y) { this.x = x; this.y = y; }
  norm2() { return this.x * this.x + this.y * this.y; }
  toString() { return `(${this.x}, ${this.y})`; }
  static origin() { return new Point(0, 0); }
}
function main(input) {
  const p = new Point(3, 4);
  return { n: p.norm2(), s: String(p), o: Point.origin().norm2(), keys: Object.keys(p),
           proto: Object.keys(Point.prototype), isP: p instanceof Point, ctor: p.constructor === Point };
}
