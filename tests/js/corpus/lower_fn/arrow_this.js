function Counter() {
  this.n = 0;
  this.incAll = (list) => { list.forEach(x => { this.n += x; }); return this.n; };
}
const obj = {
  name: "obj",
  later() { return [1, 2].map(i => this.name + i); },
  nested() { return (() => () => () => this.name)()()(); }
};
function main(input) {
  const c = new Counter();
  return [c.incAll([1, 2, 3]), obj.later(), obj.nested()];
}
