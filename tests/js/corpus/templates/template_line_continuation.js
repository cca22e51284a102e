function main(input) {
  const s = `one \
two`;
  return [s, s.length];
}
