async function main(input) {
  const { a = await Promise.resolve('lazy') } = {};
  const [b = await 'x'] = ['given'];
  return [a, b];
}
