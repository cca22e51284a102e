function main(input) {
  const m = new Map([['k1', 1], ['k2', 2]]);
  return { entries: [...m], keys: [...m.keys()], values: [...m.values()], set: [...new Set('mississippi')].join('') };
}
