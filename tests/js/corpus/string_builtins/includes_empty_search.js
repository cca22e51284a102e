function main(input) {
  return [''.includes(''), 'abc'.includes(''), 'abc'.includes('', 3), 'abc'.includes('', 10), 'abc'.includes('c', 3), ''.includes('a'), 'abc'.startsWith(''), 'abc'.endsWith('', 0)];
}
