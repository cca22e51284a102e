// input: {"tpl": "Dear {{name}}, your order #{{order.id}} of {{order.items}} items ships {{when}}.", "data": {"name": "Ada", "order": {"id": 42, "items": 3}}}
function main({ tpl, data }) {
  const lookup = (path) => path.split('.').reduce((o, k) => o?.[k], data);
  const missing = [];
  const text = tpl.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_, path) => {
    const v = lookup(path);
    if (v === undefined) { missing.push(path); return `<${path}?>`; }
    return String(v);
  });
  return { text, missing };
}
