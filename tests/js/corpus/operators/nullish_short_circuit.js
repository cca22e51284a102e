function main(input) {
  let calls = 0;
  const f = () => { calls++; return 'f'; };
  const a = 1 ?? f();
  const b = null ?? f();
  const c = undefined ?? null ?? f();
  const d = (null || undefined) ?? 'paren';
  const e = null ?? (0 || 'mixed');
  return { a, b, c, d, e, calls };
}
