// tests/integration/mcp/client.mjs - the official MCP TypeScript SDK client against Ratchet.
//
//   node client.mjs stdio RATCHET_BIN ARGS...   spawn `ratchet ARGS...` (mcp-serve) over stdio
//   node client.mjs http URL                    Streamable HTTP at URL (…/mcp)
//
// Needs NODE_PATH (or a node_modules above) with @modelcontextprotocol/sdk. Prints "ok: ..." or
// "FAIL: ..." per check and exits with the number of failures. The long task (tests/integration/
// mcp/long-task) runs about 12 s and prints a console line each second.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

let failures = 0;
function check(name, cond, detail) {
  if (cond) console.log(`ok: ${name}`);
  else {
    failures++;
    console.log(`FAIL: ${name}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
  }
}
const text = (r) => (r.content || []).map((c) => c.text || "").join("\n");

const [mode, target, ...rest] = process.argv.slice(2);
const transport =
  mode === "stdio"
    ? new StdioClientTransport({ command: target, args: rest, stderr: "inherit" })
    : new StreamableHTTPClientTransport(new URL(target));
const client = new Client({ name: "ratchet-test", version: "1.0.0" });
await client.connect(transport);
check("initialize: tools and resources capabilities", client.getServerCapabilities()?.tools &&
  client.getServerCapabilities()?.resources, client.getServerCapabilities());
check("server name", client.getServerVersion()?.name === "ratchet", client.getServerVersion());

// tools/list, every page
let tools = [], cursor;
do {
  const page = await client.listTools(cursor ? { cursor } : {});
  tools = tools.concat(page.tools);
  cursor = page.nextCursor;
} while (cursor);
const names = tools.map((t) => t.name);
check("tools/list has ratchet_execute_task", names.includes("ratchet_execute_task"), names);
check("tools/list has the task tool task_addition", names.includes("task_addition"), names);
const add = tools.find((t) => t.name === "task_addition");
check("task_addition has the task's schemas", add?.inputSchema?.required?.includes("num1") &&
  add?.outputSchema?.properties?.sum, add);

// ratchet_execute_task and the task tool
let r = await client.callTool({ name: "ratchet_execute_task",
  arguments: { task_id: "addition", input: { num1: 2, num2: 3 } } });
check("ratchet_execute_task addition: structuredContent.sum = 5", !r.isError &&
  r.structuredContent?.sum === 5 && /"sum"/.test(text(r)), r);
r = await client.callTool({ name: "task_addition", arguments: { num1: 40, num2: 2 } });
check("task_addition: structuredContent.sum = 42", !r.isError && r.structuredContent?.sum === 42, r);

// a bad input: a tool result with isError and the pointer, not a JSON-RPC error
r = await client.callTool({ name: "task_addition", arguments: { num1: "x", num2: 2 } });
check("bad input: isError with the pointer /num1", r.isError === true && text(r).includes("/num1"), r);
r = await client.callTool({ name: "ratchet_execute_task",
  arguments: { task_id: "no-such-task", input: {} } });
check("unknown task: isError naming it", r.isError === true && /no-such-task|not found/i.test(text(r)), r);
try {
  await client.callTool({ name: "no_such_tool", arguments: {} });
  check("unknown tool: a JSON-RPC error", false, "no error");
} catch (e) {
  check("unknown tool: JSON-RPC error -32602", e.code === -32602, String(e));
}

// progress during a long task: the request timeout (6 s) is shorter than the task (~12 s), so
// the call only succeeds if progress notifications keep resetting it.
const progress = [];
r = await client.callTool({ name: "task_long-task", arguments: { seconds: 12 } }, undefined, {
  timeout: 6000, resetTimeoutOnProgress: true, onprogress: (p) => progress.push(p) });
check("long task completes with a 6 s timeout reset by progress", !r.isError &&
  r.structuredContent?.ticks >= 12, r);
check("progress notifications received (>= 3)", progress.length >= 3, progress);
check("progress carries the job's console lines", progress.some((p) => /tick/.test(p.message || "")), progress);

// cancel: abort the call once it runs; the job must end cancelled
const ac = new AbortController();
let jobId = 0;
const call = client.callTool({ name: "task_long-task", arguments: { seconds: 30 } }, undefined, {
  signal: ac.signal, timeout: 60000, onprogress: (p) => {
    const m = /job (\d+)/.exec(p.message || "");
    if (m && !jobId) { jobId = Number(m[1]); ac.abort("test cancels"); }
  } });
try { await call; check("aborted call rejects", false, "it resolved"); }
catch (e) { check("aborted call rejects", true, ""); }
check("the cancelled call's job id was seen in progress", jobId > 0, jobId);
let status = "";
for (const deadline = Date.now() + 20000; jobId && Date.now() < deadline;) {
  const j = await client.callTool({ name: "ratchet_list_jobs", arguments: { limit: 20 } });
  status = (j.structuredContent?.jobs || []).find((x) => x.id === jobId)?.status || "";
  if (status === "cancelled") break;
  await new Promise((res) => setTimeout(res, 100));
}
check(`job ${jobId} is cancelled`, status === "cancelled", status);
console.log(`CANCELLED_JOB=${jobId}`);

// resources: the task's source
const res = await client.listResources();
check("resources/list has addition's main.js",
  res.resources.some((x) => x.uri === "ratchet://tasks/addition/main.js"), res);
const src = await client.readResource({ uri: "ratchet://tasks/addition/main.js" });
check("resources/read returns main.js", /num1/.test(src.contents?.[0]?.text || ""), src);

await client.close();
console.log(`client (${mode}): ${failures} failed`);
process.exit(failures ? 1 : 0);
