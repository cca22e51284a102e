function main(input) {
  // A method calling a plain function whose arrow reads this of that function.
  const o = {
    tag: 't',
    run() {
      function plain() { return (() => typeof this)(); }
      return [plain.call(o), (() => this.tag)()];
    }
  };
  return o.run();
}
