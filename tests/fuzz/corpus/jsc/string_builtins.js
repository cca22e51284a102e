function main(input) {
  const s = 'a😀';
  return [s.codePointAt(0), s.codePointAt(1), s.codePointAt(2), s.codePointAt(3), s.charCodeAt(1)];
}
