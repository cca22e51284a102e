// error: flag
// at: 5:17
function main(input) {
  const s = 'aaa';
  const re = /a/y;
  re.lastIndex = 1;
  return re.test(s);
}
