function main(input) {
  const out = [];
  for (const { id, tags: [firstTag = 'none'] = [] } of [{ id: 1, tags: ['x', 'y'] }, { id: 2 }, { id: 3, tags: [] }]) {
    out.push(id + ':' + firstTag);
  }
  let k, v;
  for ([k, v] of [['a', 1], ['b', 2]]) out.push(k + v);
  return out;
}
