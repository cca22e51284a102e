async function main(input) {
  var log = [];
  async function job(name, n) {
    for (var i = 0; i < n; i++) { log.push(name + i); await null; }
    return name + ' done';
  }
  var results = await Promise.all([job('a', 3), job('b', 2), job('c', 1)]);
  return { results: results, log: log };
}
