async function main(input) {
  const thenable = { then(resolve) { resolve('from thenable'); } };
  const v = await thenable;
  const nested = await Promise.resolve(Promise.resolve('nested'));
  return [v, nested];
}
