async function main(input) {
  const fns = [];
  for (let i = 0; i < 3; i++) {
    await null;
    fns.push(() => i);
  }
  return fns.map((f) => f());
}
