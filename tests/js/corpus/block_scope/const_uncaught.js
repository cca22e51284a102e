// throws: TypeError
function main(input) {
  const limit = 10;
  limit = 11;
  return limit;
}
