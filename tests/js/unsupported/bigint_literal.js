// error: BigInt
// at: 4:15
function main(input) {
  const big = 12345678901234567890n;
  return String(big);
}
