// error: flag
// at: 4:21
function main(input) {
  return /\u{1F600}/u.test('😀');
}
