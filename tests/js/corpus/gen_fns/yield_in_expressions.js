function main(input) {
  function* g() {
    const arr = [yield 'a', yield 'b'];
    const obj = { k: yield 'c' };
    const sum = (yield 'd') + (yield 'e');
    return { arr, obj, sum };
  }
  const it = g();
  it.next();
  it.next(1); it.next(2); it.next(3); it.next(4);
  return it.next(5).value;
}
