function main(input) {
  const seen = [];
  function tag(strings) { seen.push(strings); return strings.length; }
  function call() { return tag`a${1}b`; }
  call(); call();
  const other = tag`a${1}b`;
  return { sameSite: seen[0] === seen[1], differentSite: seen[0] === seen[2], frozen: Object.isFrozen(seen[0]), rawFrozen: Object.isFrozen(seen[0].raw) };
}
