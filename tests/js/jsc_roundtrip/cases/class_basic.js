class Point { constructor(x, y) { this.x = x; this.y = y } toString() { return `(${this.x}, ${this.y})` } static origin() { return new Point(0, 0) } get len() { return Math.hypot(this.x, this.y) } set len(v) { this.x = v; this.y = 0 } }
var p = new Point(3, 4); console.log(String(p), p.len, String(Point.origin())); p.len = 2; console.log(String(p));
