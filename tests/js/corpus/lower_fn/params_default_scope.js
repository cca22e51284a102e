function main(input) {
  const self = { v: 7, m(a = this.v, b = () => a * 2) { return [a, b()]; } };
  function lazy(n, list = [], arr = list) { list.push(n); return arr; }
  return [self.m(), self.m(1), lazy(1), lazy(2), lazy(3, [0])];
}
