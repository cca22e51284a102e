function find(list, want) {
  const seen = [];
  outer: for (let i = 0; i < list.length; i++) {
    for (let j = 0; j < list[i].length; j++) {
      seen.push(function () { return i + ":" + j; });
      if (list[i][j] === "skip") continue outer;
      if (list[i][j] === "stop") break outer;
      if (list[i][j] === want) return { at: [i, j], seen: seen.map(function (f) { return f(); }) };
      if (list[i][j] === "next") break;
    }
  }
  return { at: null, seen: seen.map(function (f) { return f(); }) };
}
function main(input) {
  const grid = [["a", "skip", "b"], ["c", "next", "d"], ["e", "want", "f"], ["stop"]];
  return [find(grid, "want"), find(grid, "zzz")];
}
