function main(input) {
  return [1_000_000, 0b1010, 0o17, 0xFF, 0B11, 0O7, 1e3, .5, 0x1_0, 1_0.5_0];
}
