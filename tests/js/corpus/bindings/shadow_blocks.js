var x = "global";
function main(input) {
  const out = [];
  let x = "fn";
  {
    let x = "block1";
    out.push(x);
    {
      const x = "block2";
      out.push(x);
    }
    out.push(x);
  }
  out.push(x);
  function inner() { return typeof y; }
  {
    let y = 5;
    out.push(y);
  }
  out.push(inner());
  for (let x = 0; x < 1; x++) out.push("loop" + x);
  for (let x = 7; x < 8; x++) out.push("loop" + x);
  out.push(x);
  return out;
}
