// input: {"jobs": [5, 1, 3, 2, 4, 1], "limit": 2}
async function main({ jobs, limit }) {
  const log = [];
  let running = 0, maxRunning = 0;
  const work = async (id, ticks) => {
    running++; maxRunning = Math.max(maxRunning, running);
    log.push(`start ${id}`);
    for (let i = 0; i < ticks; i++) await null;
    running--;
    log.push(`end ${id}`);
    return id * 10;
  };
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => { while (next < jobs.length) { const i = next++; results[i] = await work(i, jobs[i]); } };
  await Promise.all(Array.from({ length: limit }, worker));
  return { results, maxRunning, log };
}
