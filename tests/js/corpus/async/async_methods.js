async function main(input) {
  class Repo {
    constructor() { this.items = ['a', 'b']; }
    async count() { return this.items.length; }
    static async make() { return new Repo(); }
  }
  const obj = { async get() { return 'obj'; } };
  const r = await Repo.make();
  return [await r.count(), await obj.get()];
}
