class A { set v(x) { this._v = "A:" + x; } get v() { return this._v; } }
class B extends A { setIt(x) { super.v = x; return this.v; } plain() { super.w = 5; return this.w; } }
function main(input) { const b = new B(); return [b.setIt(3), b.plain(), Object.keys(b).sort()]; }
