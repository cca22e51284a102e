function* g(log) {
  try {
    try {
      yield 'inner';
    } finally {
      log.push('inner finally');
    }
    yield 'between';
  } finally {
    log.push('outer finally');
  }
}
function main(input) {
  var log = [];
  var it = g(log);
  var out = [it.next(), it['return']('R'), it.next()];
  var it2 = g(log);
  it2.next(); it2.next();
  out.push(it2['return']('S'));
  return [out, log];
}
