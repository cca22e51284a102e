function main(input) {
  return [0b101, 0B11, 0o17, 0O10, 0xfF, 1e3, 2.5e-3];
}
