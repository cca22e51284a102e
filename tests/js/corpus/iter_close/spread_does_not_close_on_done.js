function main(input) {
  const log = [];
  function* g() { try { yield 'a'; yield 'b'; } finally { log.push('done'); } }
  const arr = [...g()];
  return { arr, log };
}
