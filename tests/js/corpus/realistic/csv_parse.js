// input: {"csv": "name,age,city\nAda,36,London\nAlan,41,\"Wilmslow, Cheshire\"\n"}
function main({ csv }) {
  const parseLine = (line) => {
    const cells = [];
    let cur = '', quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) { cells.push(cur); cur = ''; }
      else cur += ch;
    }
    cells.push(cur);
    return cells;
  };
  const [header, ...rows] = csv.trimEnd().split('\n').map(parseLine);
  return rows.map((r) => Object.fromEntries(header.map((h, i) => [h, h === 'age' ? Number(r[i]) : r[i]])));
}
