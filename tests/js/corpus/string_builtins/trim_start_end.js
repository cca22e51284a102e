function main(input) {
  const s = ' \t\n padded \n ';
  return [s.trimStart(), s.trimEnd(), s.trim(), '\u00a0x\u00a0'.trimStart().length];
}
