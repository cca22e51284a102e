// error: ??=
// at: 5:11
function main(input) {
  const o = {};
  o.value ??= 'default';
  return o;
}
