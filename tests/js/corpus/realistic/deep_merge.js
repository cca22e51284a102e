// input: {"defaults": {"server": {"port": 80, "hosts": ["a"]}, "debug": false}, "override": {"server": {"port": 8080}, "debug": true, "extra": {"x": 1}}}
function main({ defaults, override }) {
  const isPlain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const merge = (a, b) => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = isPlain(v) && isPlain(a[k]) ? merge(a[k], v) : v;
    return out;
  };
  const merged = merge(defaults, override);
  return { merged, defaultsUnchanged: defaults.server.port === 80 };
}
