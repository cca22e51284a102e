function* g() { yield 1; }
function main(input) {
  var it = g();
  var iterSelf = typeof Symbol === 'function' ? it[Symbol.iterator]() === it : true;
  var keys = [];
  for (var k in it) keys.push(k);
  return {
    self: iterSelf,
    keys: keys,
    json: JSON.stringify(it),
    types: [typeof it.next, typeof it['return'], typeof it['throw']],
    res: it.next(),
    done: it.next(),
    distinct: g() !== g()
  };
}
