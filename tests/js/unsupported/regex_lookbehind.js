// error: lookbehind
// at: 4:14
function main(input) {
  const re = /(?<=\$)\d+/;
  return '$42'.match(re)[0];
}
