function main(input) {
  const key = "dyn";
  let n = 0;
  const { a, [key + (++n)]: v, ...rest } = { a: 1, dyn1: "computed", z: 26, y: 25 };
  const { ...all } = { one: 1 };
  return { a, v, rest, all, n };
}
