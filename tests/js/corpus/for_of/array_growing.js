function main(input) {
  const arr = [1, 2];
  const seen = [];
  for (const x of arr) {
    seen.push(x);
    if (arr.length < 5) arr.push(x * 10);
  }
  return seen;
}
