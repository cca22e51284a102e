function main(input) {
  var it;
  function* g() {
    try { it.next(); } catch (e) { yield e instanceof TypeError; }
    yield 'still alive';
  }
  it = g();
  return [it.next().value, it.next().value, it.next().done];
}
