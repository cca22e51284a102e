function main(input) {
  const fns = [];
  for (let i = 0; i < 3; i++) {
    try {
      throw i;
    } catch (err) {
      let doubled = err * 2;
      fns.push(() => doubled);
    }
  }
  return fns.map((f) => f());
}
