// input: {"xs": [5, 3, 8, 1, 9, 2]}
function main(input) {
  var xs = input.xs;
  return {
    sorted: xs.slice().sort(function (a, b) { return a - b; }),
    evens: xs.filter(function (x) { return x % 2 === 0; }),
    doubled: xs.map(function (x) { return x * 2; }),
    total: xs.reduce(function (a, b) { return a + b; }, 0),
    any: xs.some(function (x) { return x > 8; }),
    all: xs.every(function (x) { return x > 0; }),
    idx: xs.indexOf(8),
    last: xs.lastIndexOf(2)
  };
}
