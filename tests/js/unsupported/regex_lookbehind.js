// error: lookbehind
// at: 4:15
function main(input) {
  const re = /(?<=\$)\d+/;
  return '$42'.match(re)[0];
}
