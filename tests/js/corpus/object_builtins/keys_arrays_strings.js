function main(input) {
  const a = ['x', 'y'];
  a.extra = true;
  return [Object.keys(a), Object.keys('hi'), Object.entries(['p']), Object.values('ab'), Object.keys({ b: 1, a: 2 }).length, Object.keys([])];
}
