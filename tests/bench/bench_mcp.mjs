// bench_mcp.mjs - the client side of bench_mcp.sh: CALLS executions of the sample task
// `addition`, CONCURRENCY in flight at a time, through one of four paths, each answer checked
// ({"sum": num1 + num2}). Prints one JSON line: {mode, calls, concurrency, errors, seconds, rps,
// p50Ms, p99Ms}. A wrong answer is counted in errors (bench_mcp.sh fails the run on any).
//
//   node bench_mcp.mjs rest BASE_URL          POST BASE/api/v1/tasks/addition/execute (node:http)
//   node bench_mcp.mjs mcp-http MCP_URL       tools/call as raw JSON-RPC POSTs on one session
//                                              (node:http, the same client loop as rest)
//   node bench_mcp.mjs sdk-http MCP_URL       the official SDK's StreamableHTTPClientTransport
//   node bench_mcp.mjs sdk-stdio CMD ARGS...  the official SDK's StdioClientTransport
//
// Env: BENCH_MCP_CALLS (2000), BENCH_MCP_CONCURRENCY (8), BENCH_MCP_WARMUP (50: calls made and
// not measured first). Run from a folder beside the SDK's node_modules (ESM resolves packages
// from the script's own folder): bench_mcp.sh copies it there.
import http from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [mode, target, ...rest] = process.argv.slice(2);
const CALLS = Number(process.env.BENCH_MCP_CALLS || 2000);
const CONC = Number(process.env.BENCH_MCP_CONCURRENCY || 8);
const WARMUP = Number(process.env.BENCH_MCP_WARMUP || 50);
const VERSION = "2025-11-25";
const agent = new http.Agent({ keepAlive: true, maxSockets: CONC });

// POST `body` (a string) to `url`; resolves {status, headers, text}.
function post(url, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      agent,
      headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body), ...headers },
    }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

// The sum an answer carries ({"sum": N} anywhere in its text), or null.
function sumOf(text) {
  const m = /"sum":\s*(-?\d+)/.exec(text);
  return m ? Number(m[1]) : null;
}

// The JSON-RPC response in a POST answer: a JSON body, or the SSE event holding `id`.
function rpcAnswer(res, id) {
  if (!String(res.headers["content-type"] || "").startsWith("text/event-stream")) return res.text;
  for (const line of res.text.split("\n")) {
    if (line.startsWith("data:") && line.includes(`"id":${id}`) && !line.includes('"method"')) return line.slice(5);
  }
  return "";
}

// One call of each mode: resolves to the sum it got back (or throws).
async function makeCaller() {
  if (mode === "rest") {
    const url = `${target}/api/v1/tasks/addition/execute`;
    return async (a, b) => sumOf((await post(url, JSON.stringify({ input: { num1: a, num2: b } }))).text);
  }
  if (mode === "mcp-http") {
    const head = { Accept: "application/json, text/event-stream" };
    const init = await post(target, JSON.stringify({ jsonrpc: "2.0", id: 0, method: "initialize",
      params: { protocolVersion: VERSION, capabilities: {}, clientInfo: { name: "bench", version: "1" } } }), head);
    const session = init.headers["mcp-session-id"];
    if (init.status !== 200 || !session) throw new Error(`initialize answered ${init.status}: ${init.text}`);
    const h = { ...head, "Mcp-Session-Id": session, "MCP-Protocol-Version": VERSION };
    await post(target, JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), h);
    let next = 1;
    return async (a, b) => {
      const id = next++;
      const res = await post(target, JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call",
        params: { name: "ratchet_execute_task", arguments: { task_id: "addition", input: { num1: a, num2: b } } } }), h);
      const text = rpcAnswer(res, id);
      return text.includes('"isError":false') ? sumOf(text) : null;
    };
  }
  if (mode === "sdk-http" || mode === "sdk-stdio") {
    const transport = mode === "sdk-http"
      ? new StreamableHTTPClientTransport(new URL(target))
      : new StdioClientTransport({ command: target, args: rest, stderr: "ignore" });
    const client = new Client({ name: "bench", version: "1" });
    await client.connect(transport);
    process.on("exit", () => client.close());
    return async (a, b) => {
      const r = await client.callTool({ name: "ratchet_execute_task", arguments: { task_id: "addition", input: { num1: a, num2: b } } });
      return r.isError ? null : r.structuredContent?.sum ?? null;
    };
  }
  throw new Error(`unknown mode '${mode}' (rest, mcp-http, sdk-http, sdk-stdio)`);
}

// `total` calls, CONC at a time; returns the latencies (ms) and the number of wrong answers.
async function drive(call, total) {
  const lat = [];
  let errors = 0, issued = 0;
  async function worker() {
    while (issued < total) {
      const i = issued++;
      const t0 = process.hrtime.bigint();
      let got = null;
      try {
        got = await call(i, 1);
      } catch (e) {
        if (errors === 0) console.error(`${mode}: ${e.message}`);
      }
      lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (got !== i + 1) errors++;
    }
  }
  await Promise.all(Array.from({ length: CONC }, worker));
  return { lat, errors };
}

const call = await makeCaller();
await drive(call, WARMUP);
const t0 = process.hrtime.bigint();
const { lat, errors } = await drive(call, CALLS);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
lat.sort((x, y) => x - y);
const pct = (p) => lat[Math.min(lat.length - 1, Math.floor(lat.length * p))];
console.log(JSON.stringify({ mode, calls: CALLS, concurrency: CONC, errors, seconds,
  rps: CALLS / seconds, p50Ms: pct(0.5), p99Ms: pct(0.99) }));
agent.destroy();
process.exit(0);
