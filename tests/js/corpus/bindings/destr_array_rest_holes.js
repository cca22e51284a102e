function main(input) {
  const [first, , third, ...others] = [1, 2, 3, 4, 5];
  const [only] = "hé";
  const [[nested], { inner }] = [[9], { inner: "in" }];
  const [...copy] = [7, 8];
  let empty = [];
  const [u = "dflt"] = empty;
  return { first, third, others, only, nested, inner, copy, u };
}
