function main(input) {
  const fns = [];
  for (let i = 0; i < 4; i++) {
    fns.push(function () { return i * 10; });
    if (i === 1) i++; // body writes the loop variable: the update sees it
  }
  return fns.map(function (f) { return f(); });
}
