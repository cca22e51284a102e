function main(input) {
  let closed = false;
  const iterable = {
    [Symbol.iterator]() {
      let i = 0;
      return {
        next() { i++; return { value: i, done: false }; },
        return() { closed = true; return { done: true }; }
      };
    }
  };
  const [a, b] = iterable;
  return { a, b, closed };
}
