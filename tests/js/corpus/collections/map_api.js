function main(input) {
  const m = new Map([['a', 1], ['b', 2]]);
  const out = [];
  m.forEach(function (v, k, map) { out.push(`${k}:${v}:${map === m}:${this.tag}`); }, { tag: 'T' });
  const hadB = m.delete('b');
  const hadX = m.delete('x');
  const setRet = m.set('c', 3) === m;
  m.clear();
  return { out, hadB, hadX, setRet, size: m.size };
}
