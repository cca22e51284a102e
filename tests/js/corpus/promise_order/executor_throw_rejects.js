async function main(input) {
  const p = new Promise(() => { throw new SyntaxError('in executor'); });
  const q = new Promise((resolve) => { resolve('first'); throw new Error('ignored after resolve'); });
  const r1 = await p.catch((e) => e.name + ':' + e.message);
  return [r1, await q];
}
