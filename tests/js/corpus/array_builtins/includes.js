function main(input) {
  const a = [1, 2, NaN, 'x', undefined];
  return [a.includes(2), a.includes('2'), a.includes(NaN), a.indexOf(NaN), a.includes(undefined), [1, 2, 3].includes(1, 1), [1, 2, 3].includes(3, -1), [, ].includes(undefined)];
}
