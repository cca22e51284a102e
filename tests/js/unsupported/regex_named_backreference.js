// error: named capture group
// at: 4:11
function main(input) {
  return /(?<ch>a)\k<ch>/.test('aa');
}
