function main(input) {
  class Even {}
  return [new Even() instanceof Even, {} instanceof Even, 'x' in { x: undefined }, 0 in [1], Symbol.iterator in []];
}
