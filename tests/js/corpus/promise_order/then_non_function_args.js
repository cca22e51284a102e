async function main(input) {
  const a = await Promise.resolve(5).then(null).then(undefined, null).then(42);
  const b = await Promise.reject(new Error('e')).then(null).catch((e) => e.message);
  return [a, b];
}
