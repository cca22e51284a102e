function main(input) {
  const t = (s, ...v) => [s.length, v.length, s[0], s[s.length - 1]];
  return [t``, t`${1}`, t`${1}${2}`, t`x`];
}
