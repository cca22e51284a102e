function main(input) {
  const fns = [];
  let n = 0;
  while (n < 4) {
    let captured = n * 10;
    fns.push(() => captured);
    n++;
  }
  return fns.map((f) => f());
}
