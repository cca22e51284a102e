function main(input) {
  const key = 'b';
  const { [key]: picked, ...others } = { a: 1, b: 2, c: 3 };
  return { picked, others };
}
