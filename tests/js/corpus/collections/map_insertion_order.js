function main(input) {
  const m = new Map();
  m.set('zebra', 1).set('apple', 2).set(10, 'ten').set(2, 'two').set('mango', 3);
  m.set('zebra', 'updated');
  m.delete('apple');
  m.set('apple', 'back');
  return { keys: [...m.keys()], values: [...m.values()], size: m.size };
}
