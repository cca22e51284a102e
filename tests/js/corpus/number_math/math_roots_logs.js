function main(input) {
  const r = (x) => Math.round(x * 1e9) / 1e9;
  return [Math.cbrt(27), Math.cbrt(-8), Math.log2(8), Math.log2(1024), Math.log10(1000), Math.log10(0.001), r(Math.log2(3)), r(Math.log10(2)), Math.log2(0), Math.log10(-1)];
}
