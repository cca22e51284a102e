function main(input) {
  const fns = [];
  for (let i = 0; i < 10; i++) {
    if (i % 2) continue;
    if (i > 6) break;
    fns.push(() => i);
  }
  return fns.map((f) => f());
}
