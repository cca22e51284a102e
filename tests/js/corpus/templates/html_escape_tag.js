// input: {"user": "<script>alert(1)</script>", "n": 2}
function main(input) {
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const html = (strings, ...vals) => strings.reduce((acc, s, i) => acc + esc(vals[i - 1]) + s);
  return html`<p title="${input.user}">${input.n} & more</p>`;
}
