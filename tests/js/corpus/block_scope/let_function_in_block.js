function main(input) {
  const out = [];
  for (let i = 0; i < 3; i++) {
    function show() { return 'i=' + i; }
    out.push(show);
  }
  return out.map((f) => f());
}
