function main(input) {
  function f(a, b) {
    const g = () => {
      const h = () => Array.prototype.slice.call(arguments);
      return h(99);
    };
    return g(42);
  }
  return f(1, 2);
}
