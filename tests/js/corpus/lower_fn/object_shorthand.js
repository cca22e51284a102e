function main(input) {
  const a = 1, b = "two";
  const o = { a, b, m() { return this.a + 1; }, get g() { return this.b + "!"; }, set s(v) { this.a = v; } };
  o.s = 5;
  return [o.a, o.b, o.m(), o.g, Object.keys(o).sort()];
}
