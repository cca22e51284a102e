// stack-has: main.js:6:13
// message-has: TypeError: bad item 2
function main(input) {
  const check = (x) => {
    if (x === 2)
      throw new TypeError(`bad item ${x}`);
    return x;
  };
  return [1, 2, 3].map((x) => check(x));
}
