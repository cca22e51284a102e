function main(input) {
  function* g() { yield 1; }
  const it = g();
  return [typeof it.next, typeof it[Symbol.iterator], it[Symbol.iterator]() === it];
}
