function main(input) {
  const [a = 'A', b = 'B', c = 'C'] = [, undefined, null];
  return [a, b, c];
}
