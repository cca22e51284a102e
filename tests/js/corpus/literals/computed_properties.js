function main(input) {
  let i = 0;
  const prefix = 'item';
  const o = {
    [prefix + (++i)]: i,
    [prefix + (++i)]: i,
    [`${prefix}_last`]: 'end',
    [1 + 1]: 'two',
    [['a', 'b']]: 'array key'
  };
  return o;
}
