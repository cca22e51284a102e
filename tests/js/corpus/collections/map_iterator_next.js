function main(input) {
  const m = new Map([[1, 'a']]);
  const it = m.entries();
  return [it.next(), it.next(), typeof it[Symbol.iterator]];
}
