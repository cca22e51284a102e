function* pairs(list) {
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    yield i + ":" + item;
  }
}
function main(input) {
  const out = [];
  for (const p of pairs(["a", "b"])) out.push(p);
  const [first, ...others] = pairs(["x", "y", "z"]);
  return { out, first, others };
}
