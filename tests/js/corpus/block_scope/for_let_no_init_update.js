function main(input) {
  const fns = [];
  let i = 0;
  for (let j; i < 3; i++) {
    j = i * 3;
    fns.push(() => j);
  }
  return fns.map((f) => f());
}
