function main(input) {
  const k = 'a';
  return { a: 1, [k]: 2, b: 3, b2: { a: 1, a: 'last' }.a };
}
