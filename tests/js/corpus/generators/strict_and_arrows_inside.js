'use strict';
function* g(a, b) {
  'use strict';
  const add = (x) => x + arguments.length + this.k;
  yield add(a);
  const inner = () => { const args = arguments; return args[1]; };
  yield inner();
  yield (this === undefined) ? 'undef' : 'obj';
}
function main(input) {
  const out = [];
  for (const v of g.call({ k: 100 }, 1, 2)) out.push(v);
  try { const it = g(1, 2); it.next(); } catch (e) { out.push(e.name); }
  return out;
}
