// known-difference: methods can be called with new (checking it would slow every call), and MuJS cannot delete a function's prototype
function main(input) {
  const o = { m() { return 1; } };
  try { new o.m(); return 'constructed'; } catch (e) { return [e instanceof TypeError, o.m.hasOwnProperty('prototype')]; }
}
