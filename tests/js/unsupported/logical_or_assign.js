// error: ||=
// at: 5:5
function main(input) {
  let a = 0;
  a ||= 7;
  return a;
}
