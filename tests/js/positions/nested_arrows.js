// stack-has: main.js:7:32
// message-has: RangeError: depth 3
function main(input) {
  const level = (n) => () => {
    const inner = () => n;
    if (inner() < 3) return level(n + 1)();
    const boom = () => { throw new RangeError(`depth ${n}`); };
    return boom();
  };
  return level(1)();
}
