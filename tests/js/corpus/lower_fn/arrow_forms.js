function main(input) {
  const id = x => x;
  const obj = () => ({ a: 1 });
  const comma = (a, b) => (a, b);
  const asyncArrow = async x => x * 2;
  const curried = a => b => c => a + b + c;
  return [id(5), obj(), comma(1, 2), curried(1)(2)(3), typeof asyncArrow, [3, 1, 2].sort((a, b) => a - b)];
}
