function main(input) {
  const gen = function* () { yield* [1, 2]; };
  class Tree {
    constructor(v, kids = []) { this.v = v; this.kids = kids; }
    *walk() { yield this.v; for (const k of this.kids) yield* k.walk(); }
  }
  const t = new Tree(1, [new Tree(2, [new Tree(3)]), new Tree(4)]);
  return [[...gen()], [...t.walk()]];
}
