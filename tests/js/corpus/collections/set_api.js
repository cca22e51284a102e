function main(input) {
  const s = new Set([1, 2, 3]);
  const entries = [...s.entries()];
  const keys = [...s.keys()];
  const seen = [];
  s.forEach((v, v2, set) => seen.push(v === v2 && set === s));
  const nan = new Set([NaN, NaN, 0, -0]);
  return { entries, keys, seen, nanSize: nan.size, addRet: s.add(4) === s };
}
