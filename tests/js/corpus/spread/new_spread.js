function main(input) {
  class P { constructor(x, y, z) { this.sum = x + y + z; } }
  const parts = [1, 2, 3];
  const d = new Date(Date.UTC(...[2020, 1, 29, 12]));
  return [new P(...parts).sum, d.toISOString(), new Array(...[3]).length, new P(0, ...[5, 5]).sum];
}
