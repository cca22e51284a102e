function main(input) {
  const o = {
    v: 'o',
    make() { return () => this.v; }
  };
  const f = o.make();
  const other = { v: 'other', f };
  return [f(), other.f(), f.call({ v: 'call' }), f.apply({ v: 'apply' }), f.bind({ v: 'bind' })()];
}
