function main(input) {
  const proto = { inherited: 1 };
  const o = Object.create(proto);
  o.own = 2;
  Object.defineProperty(o, 'hidden', { value: 3, enumerable: false });
  o[Symbol('s')] = 4;
  return { entries: Object.entries(o), values: Object.values(o), assigned: Object.assign({}, o) };
}
