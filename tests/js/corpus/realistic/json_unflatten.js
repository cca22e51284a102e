// input: {"flat": {"user.name": "Ada", "user.langs.0": "en", "user.langs.1": "fr", "active": true}}
function main({ flat }) {
  const root = {};
  for (const [path, value] of Object.entries(flat)) {
    const keys = path.split('.');
    let node = root;
    keys.forEach((k, i) => {
      if (i === keys.length - 1) { node[k] = value; return; }
      node[k] = node[k] ?? (/^\d+$/.test(keys[i + 1]) ? [] : {});
      node = node[k];
    });
  }
  return root;
}
