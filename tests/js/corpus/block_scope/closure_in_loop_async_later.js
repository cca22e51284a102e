async function main(input) {
  const ps = [];
  for (let i = 0; i < 3; i++) ps.push(Promise.resolve().then(() => i * 2));
  return Promise.all(ps);
}
