function main(input) {
  const t = (s) => [s[0] === undefined, s.raw[0]];
  return t`\unicode and \xerxes`;
}
