function main(input) {
  const out = [];
  class A { v() { return 1; } }
  {
    class A { v() { return 2; } }
    out.push(new A().v());
  }
  out.push(new A().v());
  const list = [];
  for (let i = 0; i < 3; i++) {
    class C { get i() { return i; } }
    list.push(new C());
  }
  out.push(list.map(c => c.i));
  return out;
}
