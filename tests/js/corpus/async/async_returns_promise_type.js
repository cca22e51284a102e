async function main(input) {
  async function f() { return 1; }
  const p = f();
  return [p instanceof Promise, typeof p.then, await p];
}
