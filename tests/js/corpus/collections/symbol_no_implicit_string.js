function main(input) {
  const s = Symbol('x');
  try { return 'a' + s; } catch (e) { return [e instanceof TypeError, `${String(s)}`]; }
}
