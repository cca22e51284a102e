function main(input) {
  let it;
  function* g() { try { it.next(); } catch (e) { yield e instanceof TypeError; } }
  it = g();
  return it.next().value;
}
