function main(input) {
  const o = { toString() { return 'TS'; }, valueOf() { return 42; } };
  return [`${o}`, '' + o, `${[1, [2, 3]]}`, `${true}${0.5}${-0}`];
}
