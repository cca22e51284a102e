function main(input) {
  function find(xs, pred) { for (const x of xs) if (pred(x)) return x; return null; }
  return [find([1, 4, 9], (x) => x > 3), find(new Set([1]), (x) => x > 3)];
}
