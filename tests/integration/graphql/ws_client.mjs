// tests/integration/graphql/ws_client.mjs - GraphQL over WebSocket (graphql-transport-ws)
// against the real server: the official `graphql-ws` client (with the `ws` package as its
// WebSocket) receives a job's status events to completion and a task's executions live, runs a
// query and a mutation and gets a bad document's errors; then raw WebSocket clients check the
// protocol's close codes (4401, 4403, 4408, 4409, 4429, 4400) and the framing's (1002, 1007,
// 1009) and that pings are answered.
//   node ws_client.mjs WS_URL WRITE_KEY READ_KEY
// Prints "ok: ..." / "FAIL: ..." lines; exits 1 when a check failed.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import net from 'node:net';
import crypto from 'node:crypto';

const [url, writeKey, readKey] = process.argv.slice(2);
let failed = 0;
const check = (cond, what, detail) => {
  if (cond) console.log(`ok: ${what}`);
  else {
    failed++;
    console.log(`FAIL: ${what}${detail !== undefined ? ': ' + JSON.stringify(detail).slice(0, 400) : ''}`);
  }
};

// Every result of one operation until the server completes it (or `ms` pass).
function collect(client, query, variables, ms = 30000, onNext = () => {}) {
  return new Promise((resolve) => {
    const results = [];
    const timer = setTimeout(() => { dispose(); resolve({ results, error: 'timeout' }); }, ms);
    const dispose = client.subscribe({ query, variables }, {
      next: (r) => { results.push(r); onNext(r); },
      error: (e) => { clearTimeout(timer); resolve({ results, error: e }); },
      complete: () => { clearTimeout(timer); resolve({ results }); },
    });
  });
}

// ---- the graphql-ws client -------------------------------------------------------------------
const client = createClient({
  url, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true,
  connectionParams: { Authorization: `Bearer ${writeKey}` },
});

// taskExecutions of `chatty`, open before the job exists: it must see the job run live
let liveSeen = null;
const live = collect(client,
  'subscription { taskExecutions(taskId: "chatty") { jobId status } }', {}, 30000,
  (r) => { if (r.data?.taskExecutions?.status === 'COMPLETED') liveSeen = r.data.taskExecutions; });

const q = await collect(client, '{ tasks { items { name } } }');
check(q.results.length === 1 && q.results[0].data.tasks.items.some((t) => t.name === 'chatty'),
  'a query answers one result and completes', q);

const m = await collect(client, 'mutation { executeTask(input: {taskId: "chatty"}) { id status } }');
const jobId = m.results[0]?.data?.executeTask?.id;
check(jobId && !m.error, 'a mutation over WebSocket queues a job', m);

const statuses = await collect(client,
  'subscription ($id: ApiId!) { jobStatus(jobId: $id) { jobId status final output } }', { id: jobId });
const seen = statuses.results.map((r) => r.data?.jobStatus?.status);
const last = statuses.results.at(-1)?.data?.jobStatus;
check(!statuses.error, 'jobStatus completes when the job ends', statuses.error?.message ?? statuses.error);
check(seen.includes('PROCESSING') && last?.status === 'COMPLETED' && last?.final === true &&
  last?.output?.lines === 5, 'jobStatus delivers the status events to completion with the output', seen);

const deadline = Date.now() + 20000;
while (!liveSeen && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
check(liveSeen?.jobId === jobId, 'taskExecutions delivered the job live', liveSeen);

const bad = await collect(client, '{ tasks { nope } }');
check(Array.isArray(bad.error) && /Cannot query field "nope" on type "TaskList"/.test(bad.error[0]?.message),
  'a bad document is an error message with the validation error', bad.error);
await client.dispose();

const readOnly = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0,
  connectionParams: { apiKey: readKey } });
const refused = await collect(readOnly, 'mutation { syncTasks { unchanged } }');
check(Array.isArray(refused.error) && /write scope/.test(refused.error[0]?.message),
  'a read key (apiKey in connection_init) cannot mutate', refused.error);
await readOnly.dispose();

// ---- raw clients: the protocol's close codes ---------------------------------------------------
// Open a connection, send `msgs` (objects as JSON, strings as they are) one by one, and resolve
// with the close code and reason (or 'timeout').
function closeOf(msgs, { key = writeKey, ms = 10000, headers = {} } = {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, 'graphql-transport-ws', { headers });
    const got = [];
    const timer = setTimeout(() => { ws.terminate(); resolve({ code: 'timeout', got }); }, ms);
    ws.on('open', () => {
      for (const m of msgs) ws.send(typeof m === 'string' ? m : JSON.stringify(m));
    });
    ws.on('message', (d) => got.push(JSON.parse(d.toString())));
    ws.on('close', (code, reason) => { clearTimeout(timer); resolve({ code, reason: reason.toString(), got }); });
    ws.on('error', () => {});
  });
}
const init = { type: 'connection_init', payload: { Authorization: `Bearer ${writeKey}` } };
const sub = (id) => ({ type: 'subscribe', id, payload: { query: 'subscription { workerStatus { worker { id } } }' } });
let r = await closeOf([sub('1')]);
check(r.code === 4401 && r.reason === 'Unauthorized', 'subscribe before connection_init: close 4401', r);
r = await closeOf([{ type: 'connection_init' }]);
check(r.code === 4403, 'connection_init without an API key: close 4403', r);
r = await closeOf([{ type: 'connection_init', payload: { Authorization: 'Bearer nope' } }]);
check(r.code === 4403, 'connection_init with a wrong API key: close 4403', r);
r = await closeOf([init, init]);
check(r.code === 4429 && r.reason === 'Too many initialisation requests', 'a second connection_init: close 4429', r);
r = await closeOf([init, sub('a'), sub('a')]);
check(r.code === 4409 && r.reason === 'Subscriber for a already exists', 'a duplicate id: close 4409', r);
r = await closeOf([init, 'not json']);
check(r.code === 4400 && /Invalid message/.test(r.reason), 'a message that is not JSON: close 4400', r);
r = await closeOf([init, { type: 'next', id: 'x' }]);
check(r.code === 4400 && /unexpected type next/.test(r.reason), 'an unexpected message type: close 4400', r);
r = await closeOf([], { ms: 8000 });
check(r.code === 4408 && r.reason === 'Connection initialisation timeout', 'no connection_init in time: close 4408', r);
r = await closeOf([init, { type: 'ping' }, { type: 'subscribe', id: 'q', payload: { query: '{ health { status } }' } }]);
check(r.code === 'timeout' && r.got[1]?.type === 'pong', 'ping is answered with pong', r.got);
r = await closeOf([init, 'x'.repeat(8192)]);
check(r.code === 1009 && /over the limit of 4096/.test(r.reason), 'a message over max_message_size: close 1009', r);
r = await closeOf([{ type: 'connection_init' }], { headers: { Authorization: `Bearer ${readKey}` } });
check(r.code === 'timeout' && r.got[0]?.type === 'connection_ack', 'the key of the upgrade request authenticates', r);

// ---- raw frames over TCP: the framing's close codes --------------------------------------------
// Handshake, send `bytes`, resolve with the server's first frame: a close {code, reason} or a
// text {text}.
function rawClose(bytes) {
  return new Promise((resolve) => {
    const u = new URL(url);
    const s = net.connect(Number(u.port), u.hostname);
    let buf = Buffer.alloc(0), upgraded = false;
    const pongs = [];
    const timer = setTimeout(() => { s.destroy(); resolve({ code: 'timeout' }); }, 8000);
    s.on('connect', () => s.write(`GET ${u.pathname} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n` +
      `Connection: Upgrade\r\nSec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\n` +
      'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n'));
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        upgraded = true;
        buf = buf.subarray(end + 4);
        s.write(bytes);
      }
      // the server's frames (all short here): pongs noted, the first close or text resolves
      while (buf.length >= 2 && buf.length >= 2 + (buf[1] & 0x7f)) {
        const op = buf[0] & 0x0f, payload = buf.subarray(2, 2 + (buf[1] & 0x7f));
        buf = buf.subarray(2 + payload.length);
        if (op === 0xa) { pongs.push(payload.toString()); continue; }
        clearTimeout(timer);
        resolve(op === 8
          ? { code: payload.readUInt16BE(0), reason: payload.subarray(2).toString(), pongs }
          : { code: 'none', text: payload.toString(), pongs });
        s.destroy();
        return;
      }
    });
    s.on('error', () => {});
  });
}
const masked = (op, payload, fin = true) => {
  const mask = crypto.randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]));
  const len = payload.length < 126 ? [0x80 | payload.length]
    : [0x80 | 126, payload.length >> 8, payload.length & 0xff];
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | op, ...len]), mask, body]);
};
r = await rawClose(Buffer.from([0x81, 0x02, 0x7b, 0x7d])); // unmasked text frame
check(r.code === 1002 && /must be masked/.test(r.reason), 'an unmasked client frame: close 1002', r);
r = await rawClose(Buffer.from([0xc1, 0x80, 1, 2, 3, 4])); // RSV1 without an extension
check(r.code === 1002 && /reserved bits/.test(r.reason), 'reserved bits set: close 1002', r);
r = await rawClose(masked(0x1, [0xc3, 0x28])); // invalid UTF-8
check(r.code === 1007 && /not UTF-8/.test(r.reason), 'a text message that is not UTF-8: close 1007', r);
r = await rawClose(Buffer.concat([Buffer.from([0x89, 0xfe, 0x00, 0x7e]), crypto.randomBytes(4),
  Buffer.alloc(126)])); // a ping of 126 bytes
check(r.code === 1002 && /control frames/.test(r.reason), 'a control frame over 125 bytes: close 1002', r);
r = await rawClose(Buffer.concat([masked(0x1, [0x7b], false), masked(0x1, [0x7d])]));
check(r.code === 1002 && /new message started/.test(r.reason), 'a new message inside a fragmented one: close 1002', r);

const initText = [...Buffer.from(JSON.stringify(init))];
r = await rawClose(Buffer.concat([masked(0x1, initText.slice(0, 10), false),
  masked(0x9, [0x70]) /* 'p' */, masked(0x0, initText.slice(10, 20), false), masked(0x0, initText.slice(20))]));
check(r.text === '{"type":"connection_ack"}' && r.pongs[0] === 'p',
  'a message in three fragments with a ping between them: the ping answered, the message read', r);

process.exit(failed ? 1 : 0);
