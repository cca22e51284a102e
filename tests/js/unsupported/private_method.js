// error: private
// at: 5:5
function main(input) {
  class Secret {
    #hidden() { return 1; }
    reveal() { return this.#hidden(); }
  }
  return new Secret().reveal();
}
