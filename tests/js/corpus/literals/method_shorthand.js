function main(input) {
  const o = {
    v: 2,
    double() { return this.v * 2; },
    'quoted name'() { return 'q'; },
    42() { return 'num'; },
    get triple() { return this.v * 3; },
    set triple(x) { this.v = x / 3; },
  };
  o.triple = 12;
  return [o.double(), o['quoted name'](), o[42](), o.triple, o.v];
}
