function main(input) {
  return [Array.of(7), Array.of(1, 2, 3), Array.of(), Array(3).length, Array.of(undefined).length];
}
