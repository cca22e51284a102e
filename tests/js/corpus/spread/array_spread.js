function main(input) {
  const a = [1, 2], b = [3];
  const c = [0, ...a, ...b, 4, ...[]];
  const copy = [...c];
  copy.push(99);
  return { c, copy, str: [...'héllo'], set: [...new Set([3, 1, 3, 2])] };
}
