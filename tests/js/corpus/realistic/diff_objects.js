// input: {"before": {"a": 1, "b": {"c": 2, "d": 3}, "e": [1, 2]}, "after": {"a": 1, "b": {"c": 5}, "e": [1, 2, 3], "f": true}}
function main({ before, after }) {
  const changes = [];
  const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const diff = (x, y, path = []) => {
    const keys = [...new Set([...Object.keys(x ?? {}), ...Object.keys(y ?? {})])].sort();
    for (const k of keys) {
      const p = [...path, k];
      if (!(k in y)) changes.push({ op: 'remove', path: p.join('.') });
      else if (!(k in x)) changes.push({ op: 'add', path: p.join('.'), value: y[k] });
      else if (isObj(x[k]) && isObj(y[k])) diff(x[k], y[k], p);
      else if (JSON.stringify(x[k]) !== JSON.stringify(y[k])) changes.push({ op: 'replace', path: p.join('.'), from: x[k], to: y[k] });
    }
  };
  diff(before, after);
  return changes;
}
