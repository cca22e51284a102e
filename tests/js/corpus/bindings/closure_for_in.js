function main(input) {
  const obj = { a: 1, b: 2, c: 3 };
  const fns = [];
  for (const key in obj) {
    fns.push(function () { return key + obj[key]; });
  }
  let total = 0;
  for (let k in obj) {
    if (k === "b") continue;
    total += obj[k];
  }
  return [fns.map(function (f) { return f(); }), total];
}
