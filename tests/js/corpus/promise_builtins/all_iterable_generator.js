async function main(input) {
  function* gen() { yield Promise.resolve('a'); yield 'b'; yield new Promise((r) => r('c')); }
  return Promise.all(gen());
}
