function main(input) {
  const add = (a) => (b) => (c) => a + b + c;
  const compose = (...fns) => (x) => fns.reduceRight((acc, f) => f(acc), x);
  const inc = (x) => x + 1, dbl = (x) => x * 2;
  return [add(1)(2)(3), compose(inc, dbl)(5), compose(dbl, inc)(5)];
}
