function main(input) {
  class Base {
    greet() { return 'hello from ' + this.name; }
    get kind() { return 'base'; }
  }
  class Sub extends Base {
    constructor() { super(); this.name = 'sub'; }
    greet() { return super.greet().toUpperCase(); }
    get kind() { return 'sub<' + super.kind + '>'; }
  }
  const s = new Sub();
  return [s.greet(), s.kind];
}
