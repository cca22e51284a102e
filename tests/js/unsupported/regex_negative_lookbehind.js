// error: lookbehind
// at: 4:27
function main(input) {
  return 'a1 b2'.replace(/(?<!a)\d/g, '#');
}
