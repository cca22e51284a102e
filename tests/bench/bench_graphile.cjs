// tests/bench/bench_graphile.cjs - graphile-worker (npm) as the peer baseline of Ratchet's
// burn-down: N trivial jobs (add two numbers) queued before the workers start, then run by one
// graphile-worker process until all have completed. Mode "plain" keeps no output (what
// graphile-worker does by default); mode "store" inserts each sum into a table, as Ratchet
// keeps every job's output and execution record.
//
// Usage: node bench_graphile.cjs enqueue URL N        (migrates, queues N jobs in batches)
//        node bench_graphile.cjs burn URL N MODE [CONCURRENCY]
// Prints one line "graphile MODE: N jobs in S s = R jobs/s" (the burn, from run() to the last
// completion). Run with NODE_PATH pointing at the node_modules holding graphile-worker.
"use strict";
const { run, makeWorkerUtils, Logger } = require("graphile-worker");

// Only errors are printed: a line per job would cost more than the job.
const logger = new Logger(() => (level, message) => {
  if (level === "error") console.error(message);
});

async function enqueue(url, n) {
  const utils = await makeWorkerUtils({ connectionString: url, logger });
  try {
    await utils.migrate();
    await utils.withPgClient((c) =>
      c.query("CREATE TABLE IF NOT EXISTS bench_outputs (job_id bigint PRIMARY KEY, sum int)"));
    for (let from = 1; from <= n; from += 1000) {
      const specs = [];
      for (let i = from; i < from + 1000 && i <= n; i++)
        specs.push({ identifier: "add", payload: { num1: i, num2: 1 } });
      await utils.addJobs(specs);
    }
  } finally {
    await utils.release();
  }
}

async function burn(url, n, mode, concurrency) {
  const store = mode === "store";
  let done = 0, failed = 0;
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  const t0 = process.hrtime.bigint();
  const runner = await run({
    connectionString: url,
    concurrency,
    noHandleSignals: true,
    pollInterval: 1000,
    logger,
    taskList: {
      add: async (payload, helpers) => {
        const sum = payload.num1 + payload.num2;
        if (store)
          await helpers.query("INSERT INTO bench_outputs (job_id, sum) VALUES ($1, $2)",
                              [helpers.job.id, sum]);
        return sum;
      },
    },
  });
  runner.events.on("job:complete", ({ error }) => {
    if (error) failed++;
    if (++done === n) finish();
  });
  await finished;
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  await runner.stop();
  if (failed) {
    console.error(`graphile ${mode}: ${failed} of ${n} jobs failed`);
    process.exit(1);
  }
  console.log(`graphile ${mode}: ${n} jobs in ${secs.toFixed(3)} s = ${Math.round(n / secs)} jobs/s`);
}

const [cmd, url, nText, mode, conc] = process.argv.slice(2);
const n = Number(nText);
if (!url || !(n > 0) || (cmd === "burn" && mode !== "plain" && mode !== "store")) {
  console.error("usage: bench_graphile.cjs enqueue URL N | burn URL N plain|store [CONCURRENCY]");
  process.exit(2);
}
(cmd === "enqueue" ? enqueue(url, n) : burn(url, n, mode, Number(conc) || 10)).catch((e) => {
  console.error(`bench_graphile: ${e.message}`);
  process.exit(1);
});
