function main(input) {
  const out = [];
  for (let i = 0; i < 3; i++) {
    let acc;
    if (i === 0) acc = "set";
    out.push(String(acc));
  }
  return out;
}
