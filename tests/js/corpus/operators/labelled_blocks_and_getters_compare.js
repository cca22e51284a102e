function main(input) {
  const out = [];
  block: {
    out.push('in');
    if (out.length) break block;
    out.push('skipped');
  }
  out.push(1 < 2 < 3, 3 > 2 > 1, '10' < '9', 10 < 9, null >= 0, undefined == null);
  return out;
}
