function main(input) {
  // The closure captured in the body sees the increment done at the end of its own iteration? No:
  // the increment runs on the copy for the next iteration.
  const getters = [], setters = [];
  for (let i = 0; i < 3; i++) {
    getters.push(() => i);
    setters.push((v) => { i = v; });
  }
  setters[1](42);
  return getters.map((g) => g());
}
