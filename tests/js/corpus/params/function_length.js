function main(input) {
  function a(x, y) {}
  function b(x, y = 1, z) {}
  function c(...r) {}
  const d = (x, { y }, [z]) => {};
  return [a.length, b.length, c.length, d.length];
}
