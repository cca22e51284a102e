async function main(input) {
  var log = [];
  async function step(x) { await null; log.push('step ' + x); return x; }
  async function f() {
    try {
      await step(1);
      return 'from try';
    } finally {
      await step(2);
      log.push('finally done');
    }
  }
  async function g() {
    for (var i = 0; i < 3; i++) {
      try {
        if (i === 1) continue;
        await step('g' + i);
        if (i === 2) break;
      } finally {
        log.push('fin ' + i);
      }
    }
    return i;
  }
  var a = await f();
  var b = await g();
  return [a, b, log];
}
