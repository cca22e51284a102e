function main(input) {
  const v = (() => {
    const hidden = 41;
    return hidden + 1;
  })();
  const w = ((a, b) => a * b)(6, 7);
  return [v, w];
}
