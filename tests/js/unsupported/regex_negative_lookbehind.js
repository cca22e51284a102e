// error: lookbehind
// at: 4:26
function main(input) {
  return 'a1 b2'.replace(/(?<!a)\d/g, '#');
}
