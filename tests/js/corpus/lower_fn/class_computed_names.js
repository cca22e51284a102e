const order = [];
function key(k) { order.push(k); return k; }
function main(input) {
  const prefix = "get";
  class K {
    [key(prefix + "A")]() { return "a"; }
    static [key("s" + 1)]() { return "s"; }
    get [key("v")]() { return 42; }
    ["x" + 2]() { return 2; }
  }
  const k = new K();
  return [k.getA(), K.s1(), k.v, k.x2(), order];
}
