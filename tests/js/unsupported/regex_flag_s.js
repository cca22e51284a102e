// error: flag
// at: 4:15
function main(input) {
  return /a.b/s.test('a\nb');
}
