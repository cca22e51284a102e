function mix(Base) { return class extends Base { m() { return "mixed" } } } class X {} class Y extends mix(X) {} var Z = class Named extends (0, X) {}
console.log(new Y().m(), new Y() instanceof X, Z.name, new Z() instanceof X);
