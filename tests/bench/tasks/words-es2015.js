// Many built-ins: async/await, Promise.all, Map, Set, includes, Object.entries, padStart.
const delay = (v) => new Promise((resolve) => resolve(v));

async function tally(words) {
  const counts = new Map();
  for (const w of words) counts.set(w, (counts.get(w) || 0) + 1);
  return counts;
}

async function main({ text = '', stop = [] }) {
  const words = text.toLowerCase().split(/\W+/).filter((w) => w && !stop.includes(w));
  const [counts, unique] = await Promise.all([tally(words), delay(new Set(words))]);
  const top = Array.from(counts.entries())
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 3)
    .map(([w, n]) => `${w.padEnd(6, '.')}${String(n).padStart(3, '0')}`);
  const stats = Object.assign({}, { words: words.length, unique: unique.size });
  const keys = Object.entries(stats).map(([k, v]) => `${k}=${v}`);
  return { top, keys, long: [...unique].find((w) => w.length > 6) || null,
           starts: words.filter((w) => w.startsWith('t')).length };
}
