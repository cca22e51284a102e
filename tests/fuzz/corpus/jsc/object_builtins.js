function main(input) {
  const target = { a: 1 };
  const r = Object.assign(target, { b: 2 }, null, { a: 3, c: 4 }, undefined, 'xy');
  return { same: r === target, target };
}
