function main(input) {
  const self = {
    factor: 3,
    scale(xs) { return xs.map((x) => x * this.factor, { factor: 100 }); }
  };
  return self.scale([1, 2]);
}
