function main(input) {
  class A { constructor() { this.trail = ['A']; } who() { return 'A'; } }
  class B extends A { constructor() { super(); this.trail.push('B'); } who() { return 'B>' + super.who(); } }
  class C extends B { constructor() { super(); this.trail.push('C'); } who() { return 'C>' + super.who(); } }
  const c = new C();
  return { trail: c.trail, who: c.who(), chain: [c instanceof A, c instanceof B, c instanceof C], proto: Object.getPrototypeOf(C) === B };
}
