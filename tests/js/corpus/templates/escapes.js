function main(input) {
  return [`a\tb`, `back\`tick`, `dollar \${not}`, `$`, `${'$'}{x}`, `\u0041\x42\n`, `\\`];
}
