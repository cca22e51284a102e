function main(input) {
  const fns = [];
  for (let i = 0; i < 5; i++) fns.push(() => i);
  return fns.map((f) => f());
}
