// input: {"sales": [{"region": "EU", "product": "a", "amount": 10}, {"region": "US", "product": "b", "amount": 7}, {"region": "EU", "product": "b", "amount": 5}, {"region": "US", "product": "a", "amount": 1}]}
function main({ sales }) {
  const byRegion = new Map();
  for (const { region, amount, product } of sales) {
    const g = byRegion.get(region) ?? { region, total: 0, products: new Set() };
    g.total += amount;
    g.products.add(product);
    byRegion.set(region, g);
  }
  return [...byRegion.values()]
    .map(({ products, ...rest }) => ({ ...rest, products: [...products].sort() }))
    .sort((a, b) => b.total - a.total);
}
