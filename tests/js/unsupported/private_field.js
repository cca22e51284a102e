// error: private
// at: 5:5
function main(input) {
  class Counter {
    #count = 0;
    inc() { return ++this.#count; }
  }
  return new Counter().inc();
}
