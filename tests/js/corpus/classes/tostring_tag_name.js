function main(input) {
  class Foo {}
  class Bar extends Foo {}
  return [Foo.name, Bar.name, new Bar().constructor.name, Object.getPrototypeOf(Bar.prototype) === Foo.prototype];
}
