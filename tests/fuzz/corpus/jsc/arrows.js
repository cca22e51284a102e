function main(input) {
  function outer() {
    const inner = () => arguments.length + ':' + arguments[0];
    return inner('ignored', 'also');
  }
  return outer('first', 'second', 'third');
}
