// input: {"ops": [["add", "apple", 5], ["add", "pear", 2], ["remove", "apple", 3], ["remove", "pear", 5], ["add", "fig", 1]]}
function main({ ops }) {
  class OutOfStock extends Error {
    constructor(item, want, have) { super(`${item}: want ${want}, have ${have}`); this.name = 'OutOfStock'; }
  }
  class Inventory {
    constructor() { this.stock = new Map(); this.history = []; }
    add(item, n) { this.stock.set(item, (this.stock.get(item) ?? 0) + n); this.history.push(`+${n} ${item}`); return this; }
    remove(item, n) {
      const have = this.stock.get(item) ?? 0;
      if (have < n) throw new OutOfStock(item, n, have);
      this.stock.set(item, have - n);
      this.history.push(`-${n} ${item}`);
      return this;
    }
    get total() { let t = 0; for (const n of this.stock.values()) t += n; return t; }
    static from(ops) {
      const inv = new Inventory();
      const errors = [];
      for (const [op, item, n] of ops) {
        try { inv[op](item, n); } catch (e) { if (!(e instanceof OutOfStock)) throw e; errors.push(`${e.name}: ${e.message}`); }
      }
      return { inv, errors };
    }
  }
  const { inv, errors } = Inventory.from(ops);
  return { stock: [...inv.stock], total: inv.total, history: inv.history, errors };
}
