// input: {"words": ["apple", "avocado", "banana", "blueberry", "cherry", "apricot"]}
function main(input) {
  const groups = new Map();
  for (const w of input.words) {
    const k = w[0];
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(w);
  }
  return [...groups.entries()];
}
