function main(input) {
  const s = new Set();
  for (const x of [5, 'b', 1, 'a', 5, 3, 'b']) s.add(x);
  s.delete(1);
  s.add(1);
  return { values: [...s], size: s.size, has: [s.has(5), s.has('5')] };
}
