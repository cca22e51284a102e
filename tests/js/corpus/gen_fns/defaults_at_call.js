// A generator's parameter defaults and patterns are evaluated when it is called, before the
// first next(); an error there is thrown by the call itself.
function main(input) {
  const log = [];
  function* g(a = (log.push('default a'), 1), { b } = (log.push('default b'), { b: 2 })) {
    log.push('body');
    yield a + b;
  }
  const it = g();
  log.push('called');
  const first = it.next().value;
  function* bad(x = (() => { throw new RangeError('early'); })()) { log.push('never'); yield x; }
  let thrown = null;
  try { bad(); } catch (e) { thrown = e.name; }
  function* args(n = arguments.length) { yield n; }
  return { log, first, thrown, args: args().next().value };
}
