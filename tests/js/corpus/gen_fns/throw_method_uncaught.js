function main(input) {
  function* g() { yield 1; yield 2; }
  const it = g();
  it.next();
  let caught;
  try { it.throw(new TypeError('injected')); } catch (e) { caught = e.name + ':' + e.message; }
  return { caught, after: it.next() };
}
