// throws: RangeError
function main(input) {
  throw new RangeError('value out of range: 42');
}
