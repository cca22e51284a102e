async function main(input) {
  const ps = [Promise.resolve(1), 2, Promise.resolve(3)];
  let total = 0;
  for (const p of ps) total += await p;
  return total;
}
