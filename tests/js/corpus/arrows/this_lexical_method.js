function main(input) {
  const counter = {
    count: 0,
    addAll(xs) {
      xs.forEach((x) => { this.count += x; });
      return this.count;
    }
  };
  return counter.addAll([1, 2, 3]);
}
