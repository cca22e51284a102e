function main(input) {
  const lib = {
    prefix: '>',
    tag(s, ...v) { return this.prefix + s.raw.join('|') + v.join(','); }
  };
  const make = (p) => (s, ...v) => p + s.join(v[0]);
  return [lib.tag`a${1}b${2}c`, make('#')`x${'-'}y`];
}
