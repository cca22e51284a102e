function main(input) {
  return [1_000_000, 0xff_ff, 0b1010_0001, 0o7_7, 1_000.000_1, 1e1_0, .5_5].map(String);
}
