function main(input) {
  const fns = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 2; j++) {
      fns.push(() => [i, j]);
    }
  }
  return fns.map((f) => f());
}
