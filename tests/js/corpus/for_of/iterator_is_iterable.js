function main(input) {
  const arr = ['a', 'b', 'c'];
  const it = arr[Symbol.iterator]();
  const first = it.next().value;
  const rest = [];
  for (const x of it) rest.push(x);
  return { first, rest, selfIter: it[Symbol.iterator]() === it };
}
