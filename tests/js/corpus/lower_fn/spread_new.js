function P(a, b, c) { this.sum = a + b + c; }
class Q { constructor(...xs) { this.xs = xs; } }
function main(input) {
  const args = [1, 2, 3];
  const d = new Date(...[2020, 0, 15]);
  return [new P(...args).sum, new P(0, ...[1, 2]) instanceof P, new Q(...args, 4).xs, d.getFullYear(), d.getDate()];
}
