function main(input) {
  class Weird { constructor() { return { replaced: true }; } }
  class Normal { constructor() { this.v = 1; return 5; } }
  return [new Weird(), new Normal().v];
}
