async function main(input) {
  const v = async (x) => x;
  const s = `${await v('a')}-${await v('b')}`;
  const arr = [await v(1), ...(await v([2, 3]))];
  return { s, arr, m: Math.max(await v(4), await v(9)) };
}
