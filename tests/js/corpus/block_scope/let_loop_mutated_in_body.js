function main(input) {
  const fns = [];
  for (let i = 0; i < 10; i++) {
    fns.push(() => i);
    i += 2;
  }
  return fns.map((f) => f());
}
