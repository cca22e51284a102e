// Generators yielding closures over per-iteration let/const bindings.
function* pairs(list) {
  for (const [i, item] of list.entries()) {
    let label = item + '#' + i;
    yield () => label;
  }
}
function* counter() {
  for (let i = 0; i < 3; i++) {
    const doubled = i * 2;
    const got = yield { get: () => [i, doubled] };
    if (got === 'stop') return 'stopped at ' + i;
  }
}
function main(input) {
  const labels = [...pairs(['x', 'y', 'z'])].map((f) => f());
  const it = counter();
  const first = it.next().value;
  const second = it.next().value;
  const end = it.next('stop');
  return { labels, first: first.get(), second: second.get(), end };
}
