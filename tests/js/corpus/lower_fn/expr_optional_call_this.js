const svc = { name: "svc", hello() { return "hi " + this.name; }, inner: { name: "in", m() { return this.name; } } };
function main(input) {
  let calls = 0;
  const target = () => { calls++; return svc; };
  return [svc.hello?.(), svc?.hello(), svc.inner?.m(), svc?.inner.m?.(), target()?.inner?.m?.(), calls,
          svc.nope?.(), svc["hello"]?.()];
}
