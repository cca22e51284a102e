function main(input) {
  const o = { m() { return 1; } };
  try { new o.m(); return 'constructed'; } catch (e) { return [e instanceof TypeError, o.m.hasOwnProperty('prototype')]; }
}
