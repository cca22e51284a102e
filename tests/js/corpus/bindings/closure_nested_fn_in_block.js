function main(input) {
  const handlers = {};
  const names = ["alpha", "beta"];
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    function describe() { return name + "#" + i; }
    handlers[name] = describe;
  }
  let total = 0;
  for (const n of [1, 2, 3]) {
    let doubled = n * 2;
    const add = () => { total += doubled; };
    add();
  }
  return { a: handlers.alpha(), b: handlers.beta(), total };
}
