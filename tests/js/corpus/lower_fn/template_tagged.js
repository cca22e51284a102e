function tag(strings, ...vals) {
  return { strings: strings.slice(), raw: strings.raw.slice(), vals, frozen: Object.isFrozen(strings),
           rawFrozen: Object.isFrozen(strings.raw) };
}
function site(s) { return s; }
function main(input) {
  const results = [];
  for (let i = 0; i < 2; i++) results.push(site`same${i}site`);
  const other = site`same${0}site`;
  return [tag`a${1}b\n${2}`, results[0] === results[1], results[0] === other, String.raw`x\ny${1}`];
}
