function main(input) {
  const base = { a: 1, b: 2 };
  const proto = Object.create({ inherited: true });
  proto.own = "yes";
  const withGetter = { get g() { return "got"; } };
  const o = { ...base, b: 3, ...null, ...undefined, ...proto, ...withGetter, ..."hi", c: 4 };
  const copy = { ...base };
  copy.a = 100;
  return [o, base.a, "inherited" in o, Object.getOwnPropertyDescriptor(o, "g").value];
}
