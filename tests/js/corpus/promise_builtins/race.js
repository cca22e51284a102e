async function main(input) {
  const slow = Promise.resolve().then(() => 'slow');
  const fast = Promise.resolve('fast');
  const a = await Promise.race([slow, fast]);
  const b = await Promise.race([3, fast]);
  let c;
  try { await Promise.race([Promise.reject(new Error('first reject')), slow]); } catch (e) { c = e.message; }
  return [a, b, c];
}
