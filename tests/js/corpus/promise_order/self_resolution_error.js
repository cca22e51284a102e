async function main(input) {
  let resolveSelf;
  const p = new Promise((r) => { resolveSelf = r; });
  resolveSelf(p);
  try { await p; return 'resolved'; } catch (e) { return e instanceof TypeError; }
}
