async function main(input) {
  const log = [];
  async function level3() { await null; throw new Error('deep'); }
  async function level2() { try { return await level3(); } finally { log.push('l2 finally'); } }
  async function level1() { try { await level2(); } catch (e) { log.push('l1 caught ' + e.message); return 'handled'; } }
  return { r: await level1(), log };
}
