const Named = class Inner { who() { return typeof Inner; } };
const Anon = class { static n() { return 7; } };
function make(base) { return class extends base { hi() { return "hi " + super.hi(); } }; }
class Root { hi() { return "root"; } }
function main(input) {
  const M = make(Root);
  return [new Named().who(), Anon.n(), new M().hi(), Named.name, Anon.name, typeof Inner];
}
