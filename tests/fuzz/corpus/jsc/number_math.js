function main(input) {
  const eq = (a, b) => Math.abs(a - b) < Number.EPSILON;
  return [0.1 + 0.2 === 0.3, eq(0.1 + 0.2, 0.3), Number.EPSILON === 2 ** -52];
}
