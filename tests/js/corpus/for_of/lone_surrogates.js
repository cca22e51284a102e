function main(input) {
  const parts = [];
  for (const ch of 'x\uD83Dy\uDE00') parts.push(ch.charCodeAt(0));
  return parts;
}
