// input: {"values": ["12", "3.50", "abc", "1e3", "  7 ", "0x10"]}
function main(input) {
  return input.values.map((v) => {
    const n = Number(v);
    return Number.isNaN(n) ? null : { n, int: Number.isInteger(n), fixed: n.toFixed(1) };
  });
}
