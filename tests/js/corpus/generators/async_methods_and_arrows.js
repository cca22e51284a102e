class Repo {
  constructor() { this.items = ['x', 'y']; }
  async load(i) { await null; return this.items[i]; }
  static async create() { const r = new Repo(); await null; return r; }
}
async function main(input) {
  const repo = await Repo.create();
  const obj = { factor: 3, async times(v) { return (await v) * this.factor; } };
  const arrow = async (a, b) => { const x = await a; return x + (await b); };
  const exprArrow = async v => v + 1;
  const viaThis = await (function () { return (async () => this.tag)(); }).call({ tag: 'T' });
  return [await repo.load(1), await obj.times(Promise.resolve(5)), await arrow(1, Promise.resolve(2)), await exprArrow(9), viaThis];
}
