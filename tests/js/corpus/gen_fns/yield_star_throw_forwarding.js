function main(input) {
  function* inner() { try { yield 1; } catch (e) { yield 'inner caught ' + e; } }
  function* outer() { yield* inner(); yield 'outer continues'; }
  const it = outer();
  return [it.next().value, it.throw('boom').value, it.next().value, it.next().done];
}
