const obj = {
  base: 10,
  add(...xs) { return this.base + xs.reduce((a, b) => a + b, 0); }
};
let evals = 0;
function getObj() { evals++; return obj; }
function main(input) {
  const nums = [1, 2, 3];
  return [Math.max(...nums), obj.add(...nums), getObj().add(0, ...nums, 4), evals,
          obj["add"](...[5]), String.fromCharCode(...[104, 105])];
}
