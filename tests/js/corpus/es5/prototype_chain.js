function Animal(name) { this.name = name; }
Animal.prototype.speak = function () { return this.name + ' makes a sound'; };
function Dog(name) { Animal.call(this, name); }
Dog.prototype = Object.create(Animal.prototype);
Dog.prototype.constructor = Dog;
Dog.prototype.speak = function () { return Animal.prototype.speak.call(this) + ' (woof)'; };
function main(input) {
  var d = new Dog('Rex');
  return [d.speak(), d instanceof Animal, d instanceof Dog, Object.getPrototypeOf(d) === Dog.prototype];
}
