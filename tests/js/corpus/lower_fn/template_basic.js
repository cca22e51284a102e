function main(input) {
  const obj = { valueOf() { return 1; }, toString() { return "STR"; } };
  const n = 5, nested = `a${`b${n}c`}d`;
  return [`x${obj}y`, "" + obj, `${n + 1}`, `line1
line2`, nested, `${null}-${undefined}-${[1, 2]}`, `\u0041\x42\t|`, ``];
}
