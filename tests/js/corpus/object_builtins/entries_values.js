// input: {"scores": {"ann": 3, "bob": 5, "cy": 4}}
function main(input) {
  const entries = Object.entries(input.scores).sort(([a], [b]) => (a < b ? -1 : 1));
  const total = Object.values(input.scores).reduce((s, v) => s + v, 0);
  return { entries, total, arr: Object.entries(['x', 'y']), str: Object.values('ab') };
}
