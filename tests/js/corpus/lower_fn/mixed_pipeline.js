// input: {"more": [{"id": 3, "n": 3}]}
class Repo {
  items = [];
  add(...xs) { this.items.push(...xs.map(x => ({ ...x, tag: `#${x.id}` }))); return this; }
  find(id) { return this.items.find(i => i.id === id)?.tag ?? "none"; }
  get total() { return this.items.reduce((s, { n = 0 }) => s + n ** 2, 0); }
}
function main(input) {
  const r = new Repo().add({ id: 1, n: 2 }, { id: 2 }).add(...input.more);
  return { found: r.find(2), missing: r.find(9), total: r.total, tags: r.items.map(i => i.tag) };
}
