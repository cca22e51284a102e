// input: {"text": "The quick brown fox jumps over the lazy dog and keeps running far away", "width": 16}
function main({ text, width }) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && (line + ' ' + word).length > width) { lines.push(line); line = word; }
    else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => l.padEnd(width, '.') + '|');
}
