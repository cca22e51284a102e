function main(input) {
  return ['5'.padStart(3, '0'), 'abc'.padStart(8, '12'), 'abc'.padEnd(6, '.'), 'abc'.padStart(2), 'x'.padEnd(4), 'x'.padStart(3, ''), '7'.padStart(4, 'ab')];
}
