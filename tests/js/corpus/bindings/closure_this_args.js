function Counter(start) {
  this.base = start;
}
Counter.prototype.make = function () {
  const fns = [];
  for (let i = 0; i < arguments.length; i++) {
    const extra = arguments[i];
    fns.push(() => this.base + extra + i);
  }
  return fns.map((f) => f());
};
function main(input) {
  return new Counter(100).make(1, 2, 3);
}
