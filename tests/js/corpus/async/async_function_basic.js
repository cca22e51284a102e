async function main(input) {
  async function double(x) { return x * 2; }
  const a = await double(21);
  const b = await 5;
  const c = await Promise.resolve('p');
  return [a, b, c];
}
