function main(input) {
  const a = 2;
  return [-(a ** 2), (-a) ** 2, a * 3 ** 2, (a * 3) ** 2, 10 / 2 ** 2];
}
