function main(input) {
  const a = [1, 2];
  const it = a.values();
  const first = it.next().value;
  a.push(3);
  return [first, it.next().value, it.next().value, it.next().done];
}
