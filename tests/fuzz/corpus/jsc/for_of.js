function main(input) {
  function f() { const out = []; for (const a of arguments) out.push(a); return out; }
  return f(1, 'two', 3);
}
