function main(input) {
  const errors = [];
  const c = 1;
  let calls = 0;
  function side() { calls++; return 5; }
  try { c = side(); } catch (e) { errors.push(e.name + ": " + e.message); }
  try { c += 1; } catch (e) { errors.push(e.message); }
  try { c++; } catch (e) { errors.push(e.message); }
  for (const v of [1, 2]) {
    try { v = 3; } catch (e) { errors.push("loop " + e.message); }
  }
  return { c: c, calls: calls, errors: errors };
}
