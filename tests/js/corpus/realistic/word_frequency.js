// input: {"text": "The cat and the hat. The cat sat! And that was that."}
function main({ text }) {
  const counts = new Map();
  for (const w of text.toLowerCase().match(/[a-z']+/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1)).slice(0, 4);
}
