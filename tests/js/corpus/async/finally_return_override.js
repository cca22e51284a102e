async function main(input) {
  async function f() {
    try { await Promise.reject(new Error('x')); }
    finally { return 'finally wins'; }
  }
  return f();
}
