function main(input) {
  return [(1.005).toFixed(2), (12.345).toFixed(1), (0.000123).toExponential(2), (1234.5678).toPrecision(6), (255).toString(16), (255).toString(2), (-7.5).toFixed(0), Number('  42  '), Number(''), Number('0b11'), Number('0o17')];
}
