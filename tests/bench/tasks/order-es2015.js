// An order summary: what a task written today looks like.
class LineItem {
  constructor({ sku, qty = 1, price }) {
    this.sku = sku;
    this.qty = qty;
    this.price = price;
  }
  get total() {
    return this.qty * this.price;
  }
  label() {
    return `${this.qty} x ${this.sku} @ ${this.price.toFixed(2)}`;
  }
}

const round2 = (n) => Math.round(n * 100) / 100;

function main(input) {
  const { customer: { name, tier = 'standard' }, items = [], discount = 0 } = input;
  const lines = items.map((it) => new LineItem(it));
  const subtotal = lines.reduce((sum, l) => sum + l.total, 0);
  const rate = tier === 'gold' ? discount + 0.05 : discount;
  const big = lines.filter((l) => l.total >= 10).map((l) => l.sku);
  const [first, ...others] = lines;
  return {
    customer: `${name} (${tier})`,
    lines: lines.map((l) => l.label()),
    first: first ? first.sku : null,
    others: others.length,
    big,
    subtotal: round2(subtotal),
    total: round2(subtotal * (1 - rate)),
  };
}
