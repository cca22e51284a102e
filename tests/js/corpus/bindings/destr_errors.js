function main(input) {
  const msgs = [];
  function t(f) { try { f(); msgs.push("no error"); } catch (e) { msgs.push(e.name + ": " + e.message); } }
  let u, n = null;
  t(function () { const { a } = u; });
  t(function () { const { a } = n; });
  t(function () { const {} = u; });
  t(function () { const { a: { b } } = {}; });
  t(function () { let z; ({ z } = u); });
  t(function () { const [a] = u; });
  t(function () { const [a] = 5; });
  t(function () { (function ({ a }) {})(); });
  return msgs;
}
