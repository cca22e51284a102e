// throws: RangeError
function main(input) {
  return Promise.reject(new RangeError('rejected directly'));
}
