// stack-has: main.js:8:15
// message-has: RangeError: too many: 3
function main(input) {
  function* limited(max) {
    let n = 0;
    while (true) {
      if (n >= max)
        throw new RangeError(`too many: ${n}`);
      yield n++;
    }
  }
  const out = [];
  for (const x of limited(3)) out.push(x);
  return out;
}
