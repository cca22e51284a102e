function main(input) {
  function raw(strings) { return { cooked: strings[0], raw: strings.raw[0] }; }
  return [raw`a\nb`, raw`\u0041`, raw`tab\there`];
}
