function main(input) {
  const chars = [];
  for (const ch of 'a😀b𝄞') chars.push(ch);
  return { chars, count: chars.length, utf16: 'a😀b𝄞'.length, codes: chars.map((c) => c.codePointAt(0)) };
}
