// known-difference: symbols are strings behind the scenes, so concatenating one does not throw
function main(input) {
  const s = Symbol('x');
  try { return 'a' + s; } catch (e) { return [e instanceof TypeError, `${String(s)}`]; }
}
