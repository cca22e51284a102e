function main(input) {
  let reads = 0;
  const src = { get v() { reads++; return reads; } };
  const { v, v: again } = src;
  return { v, again, reads };
}
