function main(input) {
  const s = '\u{1F600}';
  const t = '\u{41}\u{042}';
  return [s.length, t, s === '\uD83D\uDE00', s.codePointAt(0)];
}
