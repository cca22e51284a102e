function main(input) {
  const items = ['a', 'b'];
  const html = `<ul>${items.map((i) => `<li>${i.toUpperCase()}</li>`).join('')}</ul>`;
  const math = `${1 + 2}${'x'.repeat(2)}${[1, 2]}${{}.toString()}${null}${undefined}`;
  return [html, math];
}
