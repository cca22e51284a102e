function* count(n) {
  try {
    for (let i = 1; i <= n; i++) yield i;
  } finally {
    log.push("gen finally");
  }
}
var log = [];
function main(input) {
  log = [];
  const got = [];
  for (const v of count(5)) { got.push(v); if (v === 3) break; }
  const [p, q] = count(4);
  return { got, p, q, log };
}
