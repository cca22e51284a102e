function main(input) {
  const out = [];
  for (const x of [1, , 3]) out.push(x === undefined ? 'hole' : x);
  return out;
}
