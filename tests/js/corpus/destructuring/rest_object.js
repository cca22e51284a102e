function main(input) {
  const { a, ...rest } = { a: 1, b: 2, c: 3 };
  const { x: { y, ...inner }, ...outer } = { x: { y: 1, z: 2, w: 3 }, k: 4 };
  return { a, rest, y, inner, outer, restIsPlain: Object.getPrototypeOf(rest) === Object.prototype };
}
