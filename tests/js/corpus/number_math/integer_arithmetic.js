// input: {"a": 17, "b": 5}
function main(input) {
  const { a, b } = input;
  return { div: Math.trunc(a / b), mod: a % b, negMod: -a % b, floorMod: ((-a % b) + b) % b, pow: a ** 2, big: 2 ** 53 + 1 === 2 ** 53, shift: 1 << 31, ushift: -1 >>> 28 };
}
