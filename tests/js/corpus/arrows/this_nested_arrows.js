function main(input) {
  const obj = {
    name: 'outer',
    run() {
      const f = () => () => () => this.name;
      return f()()();
    }
  };
  return obj.run();
}
