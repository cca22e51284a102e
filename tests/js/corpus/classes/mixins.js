function main(input) {
  const Serializable = (B) => class extends B { toJSONText() { return JSON.stringify(this.data()); } };
  const Named = (B) => class extends B { data() { return { name: this.name }; } };
  class Base { constructor(n) { this.name = n; } }
  class Thing extends Serializable(Named(Base)) {}
  return new Thing('widget').toJSONText();
}
