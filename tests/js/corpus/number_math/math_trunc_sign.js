function main(input) {
  return [Math.trunc(4.7), Math.trunc(-4.7), Math.trunc('12.9'), Math.sign(-3), Math.sign(0), Math.sign(7), Object.is(Math.sign(-0), -0), Object.is(Math.trunc(-0.5), -0), Math.trunc(NaN)];
}
