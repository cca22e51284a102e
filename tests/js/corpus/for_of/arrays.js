function main(input) {
  let sum = 0;
  const seen = [];
  for (const x of [1, 2, 3]) { sum += x; seen.push(x); }
  return { sum, seen };
}
