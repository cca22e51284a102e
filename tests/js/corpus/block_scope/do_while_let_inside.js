function main(input) {
  const fns = [];
  let n = 3;
  do {
    const label = 'n' + n;
    fns.push(() => label);
  } while (--n > 0);
  return fns.map((f) => f());
}
