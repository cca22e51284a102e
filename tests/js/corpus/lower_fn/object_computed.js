function main(input) {
  const log = [];
  const k = (x) => { log.push(x); return x; };
  const o = { first: k("v1"), [k("key2")]: k("v2"), last: k("v3"), [k("n") + 1]: 4, get [k("gk")]() { return "G"; } };
  return [o, log, o.gk];
}
