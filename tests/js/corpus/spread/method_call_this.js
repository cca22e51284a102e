function main(input) {
  const o = {
    base: 100,
    add(...xs) { return xs.reduce((s, x) => s + x, this.base); }
  };
  const args = [1, 2, 3];
  return [o.add(...args), o['add'](...args, 4)];
}
