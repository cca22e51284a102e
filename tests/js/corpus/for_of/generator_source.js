function main(input) {
  function* count(n) { for (let i = 1; i <= n; i++) yield i * i; }
  const out = [];
  for (const sq of count(5)) out.push(sq);
  return out;
}
