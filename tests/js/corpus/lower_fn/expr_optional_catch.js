function main(input) {
  let r = [];
  try { JSON.parse("{bad"); } catch { r.push("caught"); }
  try { r.push("ok"); } catch { r.push("never"); } finally { r.push("finally"); }
  return r;
}
