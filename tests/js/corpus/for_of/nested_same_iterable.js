function main(input) {
  const xs = [1, 2, 3];
  const pairs = [];
  for (const a of xs) for (const b of xs) if (a < b) pairs.push([a, b]);
  return pairs;
}
