function main(input) {
  return [
    Array.from('abc'),
    Array.from({ length: 3 }, (_, i) => i * i),
    Array.from(new Set([1, 1, 2])),
    Array.from(new Map([['k', 'v']])),
    Array.from([1, 2], function (x) { return x * this.m; }, { m: 10 }),
    Array.from({ length: 2, 0: 'a', 1: 'b' }),
    Array.from('😀x')
  ];
}
