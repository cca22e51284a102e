function main(input) {
  const out = [String.fromCodePoint(65, 0x1F600, 0x10FFFF).length, String.fromCodePoint(0x1F600) === '😀', String.fromCodePoint()];
  try { String.fromCodePoint(0x110000); } catch (e) { out.push(e.name); }
  try { String.fromCodePoint(1.5); } catch (e) { out.push(e.name); }
  return out;
}
