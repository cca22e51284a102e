function main(input) {
  const obj = { a: 1, b: 2, c: 3 };
  const fns = [];
  for (let k in obj) fns.push(() => k + '=' + obj[k]);
  return fns.map((f) => f()).sort();
}
