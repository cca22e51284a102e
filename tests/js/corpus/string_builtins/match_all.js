// input: {"text": "a1 b22 c333"}
function main(input) {
  const ms = [...input.text.matchAll(/([a-z])(\d+)/g)];
  return ms.map((m) => ({ all: m[0], letter: m[1], digits: m[2], index: m.index }));
}
