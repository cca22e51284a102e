function main(input) {
  class P { constructor() { this.own = 1; } method() {} static s() {} }
  const keys = [];
  for (const k in new P()) keys.push(k);
  return { keys, protoKeys: Object.keys(P.prototype), staticKeys: Object.keys(P) };
}
