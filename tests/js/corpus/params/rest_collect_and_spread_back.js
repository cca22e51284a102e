function main(input) {
  const wrap = (fn) => (...args) => ({ result: fn(...args), args });
  const add3 = (a, b, c) => a + b + c;
  return wrap(add3)(1, 2, 3);
}
