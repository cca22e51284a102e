// error: flag
// at: 4:10
function main(input) {
  return /a.b/s.test('a\nb');
}
