function main(input) {
  let last;
  const o = {};
  for (last of [1, 2, 3]);
  for (o.prop of ['a', 'b']);
  return { last, prop: o.prop };
}
