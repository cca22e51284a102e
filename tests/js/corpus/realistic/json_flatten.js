// input: {"a": {"b": {"c": 1, "d": [1, 2]}, "e": null}, "f": "x"}
function main(input) {
  const out = {};
  const walk = (v, path) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, child] of Object.entries(v)) walk(child, path ? `${path}.${k}` : k);
    } else if (Array.isArray(v)) {
      v.forEach((child, i) => walk(child, `${path}[${i}]`));
    } else {
      out[path] = v;
    }
  };
  walk(input, '');
  return out;
}
