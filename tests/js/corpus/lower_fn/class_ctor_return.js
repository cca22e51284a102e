class A { constructor() { return { fake: true }; } }
class B extends A { constructor() { super(); this.extra = 1; } }
class C { constructor() { this.ok = 1; return 5; } }
function main(input) { return [new A(), new B(), new C()]; }
