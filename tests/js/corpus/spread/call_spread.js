function main(input) {
  const nums = [5, 1, 9, 3];
  function f(a, b, c, d, e) { return [a, b, c, d, e]; }
  return [Math.max(...nums), Math.min(...nums, -1), f(...nums), f(0, ...nums.slice(2), ...'ab')];
}
