// `this` (also through arrows and super.method) before super() in a derived constructor is a
// ReferenceError; after a top-level super() call it is the instance; a derived constructor that
// never calls super() fails when it returns; Object.getPrototypeOf of a derived class is its
// parent.
class Base { constructor(v) { this.v = v; } tag() { return 'base'; } }
function attempt(f) {
  try { return f(); } catch (e) { return e.name; }
}
class ViaArrow extends Base {
  constructor() { const read = () => this.v; let before = attempt(read); super(1); this.before = before; this.after = read(); }
}
class ViaSuperCall extends Base {
  constructor() { let r = attempt(() => super.tag()); super(2); this.r = r; }
}
class Conditional extends Base {
  constructor(flag) { if (flag) { super(3); } else { super(4); } this.flagged = flag; }
}
class Never extends Base { constructor() { } }
class ReturnsObject extends Base { constructor() { return { custom: true }; } }
function main(input) {
  const a = new ViaArrow();
  const c = new Conditional(true);
  return {
    arrow: [a.before, a.after, a.v],
    superCall: new ViaSuperCall().r,
    conditional: [c.v, c.flagged, new Conditional(false).v],
    never: attempt(() => new Never()),
    returnsObject: new ReturnsObject().custom,
    protos: [Object.getPrototypeOf(ViaArrow) === Base, Object.getPrototypeOf(Base) === Function.prototype,
             Object.getPrototypeOf(a) === ViaArrow.prototype],
  };
}
