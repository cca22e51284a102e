// error: named capture group
// at: 4:10
function main(input) {
  return /(?<ch>a)\k<ch>/.test('aa');
}
