// input: {"xs": [1, 2, 3]}
async function main(input) {
  const sq = async (x) => x * x;
  const sum = async (xs) => { let t = 0; for (const x of xs) t += await sq(x); return t; };
  return sum(input.xs);
}
