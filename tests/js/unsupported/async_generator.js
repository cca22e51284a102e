// error: async generators are not supported
// at: 5:3
function main(input) {
  var x = 1;
  async function* ticks() { yield x; }
  return x;
}
