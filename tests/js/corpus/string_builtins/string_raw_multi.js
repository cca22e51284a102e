function main(input) {
  const path = String.raw`C:\Users\${'ada'}\docs`;
  return [path, path.length, String.raw`\u{1F600}`];
}
