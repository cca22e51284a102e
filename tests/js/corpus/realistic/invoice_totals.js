// input: {"lines": [{"sku": "A-1", "qty": 3, "price": 9.99}, {"sku": "B-2", "qty": 1, "price": 24.5, "discount": 0.1}, {"sku": "C-3", "qty": 2, "price": 0.35}], "taxRate": 0.2}
function main({ lines, taxRate }) {
  const cents = (x) => Math.round(x * 100);
  const rows = lines.map(({ sku, qty, price, discount = 0 }) => ({ sku, total: cents(qty * price * (1 - discount)) }));
  const net = rows.reduce((s, r) => s + r.total, 0);
  const tax = Math.round(net * taxRate);
  const fmt = (c) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`;
  return { rows: rows.map(({ sku, total }) => `${sku.padEnd(5)}${fmt(total).padStart(8)}`), net: fmt(net), tax: fmt(tax), gross: fmt(net + tax) };
}
