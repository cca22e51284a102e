// stack-has: main.js:7:13
// message-has: TypeError: bad row b
function main(input) {
  const rows = [['a', 1], ['b', -1]];
  for (const [key, value] of rows) {
    if (value < 0)
      throw new TypeError(`bad row ${key}`);
  }
  return rows;
}
