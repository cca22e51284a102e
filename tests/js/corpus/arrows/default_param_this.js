function main(input) {
  const o = {
    base: 10,
    f() {
      const g = (x = this.base) => x + 1;
      return [g(), g(1)];
    }
  };
  return o.f();
}
