function main(input) {
  return [
    [1, 2, 3, 4, 5].copyWithin(0, 3),
    [1, 2, 3, 4, 5].copyWithin(1, 0, 2),
    [1, 2, 3, 4, 5].copyWithin(-2, 0),
    [1, 2, 3, 4, 5].copyWithin(2, 1)
  ];
}
