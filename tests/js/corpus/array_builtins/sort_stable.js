// input: {"rows": [["b", 1], ["a", 2], ["c", 1], ["d", 2], ["e", 1]]}
function main(input) {
  return input.rows.slice().sort((x, y) => x[1] - y[1]).map(([k]) => k).join('');
}
