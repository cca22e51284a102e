function main(input) {
  const fns = [];
  for (const x of ['a', 'b', 'c']) fns.push(() => x.toUpperCase());
  return fns.map((f) => f());
}
