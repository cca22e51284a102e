// input: {"flag": true}
function main(input) {
  let result = 'outer';
  if (input.flag) {
    let result = 'inner';
    result += '!';
  }
  return { result, typeofInner: typeof inner };
}
