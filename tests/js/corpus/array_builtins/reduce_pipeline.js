// input: {"orders": [{"c": "x", "v": 5}, {"c": "y", "v": 3}, {"c": "x", "v": 2}]}
function main(input) {
  const totals = input.orders.reduce((acc, { c, v }) => ({ ...acc, [c]: (acc[c] ?? 0) + v }), {});
  return totals;
}
