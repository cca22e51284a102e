// error: export
// at: 6:1
function main(input) {
  return 1;
}
export default main;
