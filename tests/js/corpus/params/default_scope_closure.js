function main(input) {
  const x = 'outer';
  function f(a = () => x) { const x = 'inner'; return a(); }
  return f();
}
