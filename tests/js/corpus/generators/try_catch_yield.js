function* g() {
  var results = [];
  for (var i = 0; i < 3; i++) {
    try {
      var v = yield i;
      if (v === 'bad') throw new Error('bad at ' + i);
      results.push('ok' + i);
    } catch (e) {
      results.push('caught ' + e.message);
      yield 'recovering';
    } finally {
      results.push('fin' + i);
    }
  }
  return results;
}
function main(input) {
  var it = g(), out = [];
  out.push(it.next());
  out.push(it.next('bad'));
  out.push(it.next());
  out.push(it['throw'](new Error('injected')));
  out.push(it.next());
  out.push(it.next('fine'));
  out.push(it.next());
  return out;
}
