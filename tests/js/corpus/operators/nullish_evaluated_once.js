function main(input) {
  let n = 0;
  const get = () => { n++; return n > 1 ? 'again' : null; };
  const v = get() ?? 'default';
  return { v, n };
}
