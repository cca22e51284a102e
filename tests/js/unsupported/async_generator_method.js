// error: async generators are not supported
// at: 5:5
function main(input) {
  var o = {
    async *items() { yield 1; }
  };
  return 1;
}
