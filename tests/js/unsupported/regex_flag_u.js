// error: flag
// at: 4:10
function main(input) {
  return /\u{1F600}/u.test('😀');
}
