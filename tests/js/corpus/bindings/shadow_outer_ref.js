var count = 1;
function main(input) {
  function getCount() { return count; }
  const r = [];
  if (true) {
    let count = 99;
    r.push(count, getCount());
  }
  r.push(getCount());
  {
    function helper() { return "block helper"; }
    r.push(helper());
  }
  return r;
}
