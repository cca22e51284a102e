function main(input) {
  const out = [];
  outer: for (const row of [[1, 2, 3], [4, 5, 6], [7, 8, 9]]) {
    for (const x of row) {
      if (x === 2) continue;
      if (x === 5) continue outer;
      if (x === 8) break outer;
      out.push(x);
    }
  }
  return out;
}
