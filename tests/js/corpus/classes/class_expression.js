function main(input) {
  const Named = class Inner {
    who() { return typeof Inner; }
  };
  const Anon = class { v() { return 1; } };
  const make = (Base) => class extends Base { v() { return super.v() + 10; } };
  return [new Named().who(), new (make(Anon))().v(), Named.name];
}
