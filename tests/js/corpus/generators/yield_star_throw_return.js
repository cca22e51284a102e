function main(input) {
  var log = [];
  function* inner() {
    try { yield 'a'; yield 'b'; } catch (e) { log.push('inner caught ' + e); yield 'c'; return 'inner done'; }
    finally { log.push('inner finally'); }
  }
  function* outer() {
    try { var v = yield* inner(); log.push('v=' + v); yield 'after'; }
    finally { log.push('outer finally'); }
  }
  var it = outer(), out = [];
  out.push(it.next(), it['throw']('E'), it.next(), it.next());
  var it2 = outer();
  out.push(it2.next(), it2['return']('R'), it2.next());
  var plain = { i: 0, next: function () { return { value: this.i++, done: this.i > 5 }; } };
  plain[typeof Symbol === 'function' ? Symbol.iterator : '@@iterator'] = function () { return this; };
  function* g3() { yield* plain; }
  var it3 = g3();
  it3.next();
  try { it3['throw'](new Error('no throw method')); } catch (e) { out.push(e.name); }
  return [out, log];
}
