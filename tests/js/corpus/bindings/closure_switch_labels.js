function main(input) {
  const out = [];
  for (let i = 0; i < 6; i++) {
    const f = () => i;
    switch (i) {
      case 1:
        continue;
      case 2:
        out.push("two:" + f());
        break;
      case 4:
        out.push("four");
        break;
      default:
        out.push(f());
    }
    if (i === 4) break;
  }
  return out;
}
