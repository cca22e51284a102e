// throws: TypeError
async function main(input) {
  await null;
  throw new TypeError('async failure');
}
