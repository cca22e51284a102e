// error: &&=
// at: 5:5
function main(input) {
  let a = 1;
  a &&= 2;
  return a;
}
