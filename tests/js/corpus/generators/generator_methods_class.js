class Tree {
  constructor(value, children) { this.value = value; this.children = children || []; }
  *walk(depth) {
    yield [this.value, depth];
    for (const c of this.children) yield* c.walk(depth + 1);
  }
  *[Symbol.iterator]() { for (const [v] of this.walk(0)) yield v; }
}
function main(input) {
  const t = new Tree('a', [new Tree('b', [new Tree('c')]), new Tree('d')]);
  const obj = { *pairs() { yield* Object.keys(this).sort().filter(k => typeof this[k] !== 'function').map(k => k + ':' + this[k]); }, x: 1, y: 2 };
  return { walk: [...t.walk(0)], values: [...t], pairs: [...obj.pairs()] };
}
