function main(input) {
  let x = 1;
  const out = [];
  {
    let x = 2;
    out.push(x);
    {
      const x = 3;
      out.push(x);
    }
    out.push(x);
  }
  out.push(x);
  return out;
}
