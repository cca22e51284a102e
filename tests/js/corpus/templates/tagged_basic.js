function main(input) {
  function tag(strings, ...values) {
    return { strings: [...strings], values };
  }
  const a = 1, b = 'two';
  return tag`x${a}y${b}z`;
}
