function main(input) {
  function* g() { yield 1; return 2; }
  const it = g();
  return { spread: [...g()], manual: [it.next(), it.next(), it.next()] };
}
