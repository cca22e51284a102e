async function main(input) {
  const log = [];
  const task = async (name, ticks) => { for (let i = 0; i < ticks; i++) await null; log.push(name); return name; };
  const seq = [await task('s1', 3), await task('s2', 1)];
  const par = await Promise.all([task('p1', 3), task('p2', 1), task('p3', 2)]);
  return { seq, par, log };
}
