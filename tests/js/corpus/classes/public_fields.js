// Class fields (ES2022) are compiled too: instance fields after super(), static fields once.
class Base {
  kind = 'base';
  constructor() { this.seen = this.kind; }
}
class Config extends Base {
  retries = 3;
  label = `r${this.retries}`;
  static count = 0;
  static defaults = { retries: Config.count + 1 };
  constructor() { super(); Config.count++; }
}
function main(input) {
  const a = new Config();
  const b = new Config();
  return [a.retries, a.label, a.kind, a.seen, Config.count, Config.defaults, Object.keys(b).sort()];
}
