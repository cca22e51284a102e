function main(input) {
  const s = `line one
  line two
line three`;
  return s.split('\n');
}
