// stack-has: main.js:6:23
// message-has: Error: sum too big: 15
function main(input) {
  const sum = (...xs) => {
    const t = xs.reduce((a, b) => a + b, 0);
    if (t > 10) throw new Error(`sum too big: ${t}`);
    return t;
  };
  return sum(...[1, 2, 3], ...[4, 5]);
}
