function main(input) {
  const xs = [3, 8, 1, 9, 4];
  const lastBig = [...xs].reverse().find((x) => x > 5);
  return { lastBig, xs };
}
