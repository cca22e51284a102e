function main(input) {
  const o = {};
  const arr = [];
  ({ x: o.first, y: arr[0], z: o['dyn' + 1] = 'default' } = { x: 1, y: 2 });
  [o.second, ...arr[1]] = [3, 4, 5];
  return { o, arr };
}
