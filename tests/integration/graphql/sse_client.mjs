// tests/integration/graphql/sse_client.mjs - the official graphql-sse client (distinct
// connections mode) against /graphql: a job's status events and an execution's console lines
// while the task runs, a query answered as one result, and a bad document refused.
//   node sse_client.mjs URL WRITE_KEY
// Prints "ok: ..." / "FAIL: ..." lines; exits 1 when a check failed.
import { createClient } from 'graphql-sse';

const [url, key] = process.argv.slice(2);
let failed = 0;
const check = (cond, what, detail) => {
  if (cond) console.log(`ok: ${what}`);
  else {
    failed++;
    console.log(`FAIL: ${what}${detail ? ': ' + JSON.stringify(detail).slice(0, 400) : ''}`);
  }
};
const headers = { Authorization: `Bearer ${key}` };
const client = createClient({ url, headers, retryAttempts: 0 });

async function post(query, variables) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

// Every result of one operation, until the server completes it (or `ms` pass).
function collect(query, variables, ms = 30000) {
  return new Promise((resolve) => {
    const results = [];
    const timer = setTimeout(() => {
      dispose();
      resolve({ results, error: 'timeout' });
    }, ms);
    const dispose = client.subscribe({ query, variables }, {
      next: (r) => results.push(r),
      error: (e) => {
        clearTimeout(timer);
        resolve({ results, error: e });
      },
      complete: () => {
        clearTimeout(timer);
        resolve({ results });
      },
    });
  });
}

const queued = await post('mutation { executeTask(input: {taskId: "chatty"}) { id } }');
const jobId = queued.data?.executeTask?.id;
check(jobId, 'a job of the chatty task was queued', queued);

const statuses = collect(
  'subscription ($id: ApiId!) { jobStatus(jobId: $id) { jobId status final output executionId } }',
  { id: jobId });
const first = await new Promise((resolve) => {
  // the execution's id arrives with the PROCESSING status: follow its console lines
  const stop = client.subscribe({
    query: 'subscription ($id: ApiId!) { jobStatus(jobId: $id) { executionId } }',
    variables: { id: jobId },
  }, {
    next: (r) => {
      const e = r.data?.jobStatus?.executionId;
      if (e) {
        stop();
        resolve(e);
      }
    },
    error: () => resolve(null),
    complete: () => resolve(null),
  });
});
check(first, 'the job status stream names the execution', first);
const logs = await collect(
  'subscription ($id: ApiId!) { executionLogs(executionId: $id) { kind level message } }',
  { id: first });
check(!logs.error, 'executionLogs ends when the execution does', logs.error?.message ?? logs.error);
const lines = logs.results.map((r) => r.data?.executionLogs?.message);
check(['line 0', 'line 1', 'line 2', 'line 3', 'line 4'].every((l) => lines.includes(l)),
  'executionLogs delivers every console line', lines);
const st = await statuses;
check(!st.error, 'jobStatus completes after the final status', st.error?.message ?? st.error);
const last = st.results.at(-1)?.data?.jobStatus;
check(last?.final === true && last?.status === 'COMPLETED', 'the last event is the final COMPLETED',
  st.results);
check(JSON.stringify(last?.output) === '{"lines":5}', 'with the output', last);

const q = await collect('{ health { status } }');
check(q.results.length === 1 && q.results[0].data?.health?.status, 'a query is one result', q);
const bad = await collect('subscription { jobStatus(jobId: "1") { nope } }');
check(bad.error, 'a bad subscription document is refused', bad);
const none = await collect('subscription { jobStatus(jobId: "999999") { status } }');
check(none.error, 'a subscription to a job that does not exist is refused', none);

client.dispose();
console.log(`sse_client: ${failed} failed`);
process.exit(failed ? 1 : 0);
