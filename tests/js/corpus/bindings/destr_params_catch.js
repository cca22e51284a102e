function area({ w, h = w }, [scale = 1] = []) {
  return w * h * scale;
}
function main(input) {
  let caught;
  try {
    throw { code: 42, detail: { why: "because" } };
  } catch ({ code, detail: { why } }) {
    caught = code + " " + why;
  }
  const pairs = [];
  for (const [k, v] of [["a", 1], ["b", 2]]) pairs.push(k + v);
  for (const { id, tags: [t1] } of [{ id: 1, tags: ["x", "y"] }]) pairs.push(id + t1);
  return { a1: area({ w: 2 }), a2: area({ w: 2, h: 3 }, [10]), caught, pairs };
}
