function main(input) {
  const arrayLike = { length: 3, 0: 'a', 1: 'b', 2: 'c' };
  return [Array.prototype.includes.call(arrayLike, 'b'), Array.prototype.find.call(arrayLike, (x) => x > 'a'), Array.from(arrayLike).reverse()];
}
