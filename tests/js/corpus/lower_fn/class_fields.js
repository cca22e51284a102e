let counter = 0;
class Base { constructor() { this.log = ["base"]; } }
class Widget extends Base {
  id = ++counter;
  label = "w" + this.id;
  items = [];
  handler = () => this.label;
  static count = 10;
  static twice = Widget.count * 2;
  static self = this.count + 1;
  constructor(x) { super(); this.log.push("ctor:" + this.id + ":" + x); }
}
class Plain { a = 1; b = this.a + 1; c; }
function main(input) {
  const w1 = new Widget("a"), w2 = new Widget("b");
  const h = w1.handler;
  const p = new Plain();
  return [w1.id, w2.id, w1.label, w2.log, h(), Widget.count, Widget.twice, Widget.self,
          p.a, p.b, "c" in p, p.c === undefined];
}
