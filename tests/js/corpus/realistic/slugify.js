// input: {"titles": ["Hello, World!", "  Multiple   spaces  ", "Ünïcödé & Friends", "already-slugged"]}
function main({ titles }) {
  const slug = (s) => s.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return titles.map((t) => ({ t, slug: slug(t) }));
}
