function main(input) {
  function* g() { for (let i = 0; i < 3; i++) yield () => i; }
  return [...g()].map((f) => f());
}
