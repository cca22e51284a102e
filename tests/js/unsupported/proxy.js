// error: Proxy
// at: 5:17
function main(input) {
  const target = {};
  const p = new Proxy(target, { get: () => 42 });
  return p.anything;
}
