function main(input) {
  const base = { a: 1, b: 2 };
  const over = { ...base, b: 3, c: 4 };
  const under = { b: 0, ...base };
  const withNull = { ...null, ...undefined, ...'hi', ...[7] };
  return { over, under, withNull, baseUntouched: base };
}
