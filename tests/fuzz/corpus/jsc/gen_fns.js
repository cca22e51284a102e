function main(input) {
  const o = {
    base: 5,
    *gen() { for (const a of arguments) yield a + this.base; }
  };
  return [...o.gen(1, 2, 3)];
}
