class Animal {
  constructor(name) { this.name = name; }
  speak() { return this.name + " makes a sound"; }
  get kind() { return "animal"; }
  static create(n) { return new this(n); }
}
class Dog extends Animal {
  constructor(name, breed) { super(name); this.breed = breed; }
  speak() { return super.speak() + " (woof)"; }
  get kind() { return "dog/" + super.kind; }
  static create(n) { return super.create(n + "!"); }
}
function main(input) {
  const d = new Dog("Rex", "lab");
  const e = Dog.create("Max");
  return [d.speak(), d.kind, d.breed, d instanceof Animal, d instanceof Dog, e instanceof Dog, e.name, e.speak()];
}
