// error: BigInt
// at: 4:10
function main(input) {
  return BigInt(5).toString();
}
