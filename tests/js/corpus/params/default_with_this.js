function main(input) {
  const o = {
    n: 3,
    m(x = this.n * 2) { return x; }
  };
  return [o.m(), o.m(1)];
}
