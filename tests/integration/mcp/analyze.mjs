// tests/integration/mcp/analyze.mjs - ratchet_analyze_execution_error through the official MCP
// TypeScript SDK (Streamable HTTP at URL):
//
//   node analyze.mjs URL EXECUTION_ID PATTERN_ID SOURCE_LINE
//
// Checks that the tool's result carries the engine's report (JSON and markdown) with the
// matched pattern and the author's failing source line, and the compatible summary. Prints
// "ok: ..." or "FAIL: ..." per check and exits with the number of failures.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

let failures = 0;
function check(name, cond, detail) {
  if (cond) console.log(`ok: ${name}`);
  else {
    failures++;
    console.log(`FAIL: ${name}: ${typeof detail === "string" ? detail : JSON.stringify(detail)}`);
  }
}

const [url, execution, pattern, line] = process.argv.slice(2);
const client = new Client({ name: "ratchet-analyze-test", version: "1.0.0" });
await client.connect(new StreamableHTTPClientTransport(new URL(url)));

const tools = (await client.listTools()).tools;
const tool = tools.find((t) => t.name === "ratchet_analyze_execution_error");
check("the tool is listed with execution_id required",
  tool?.inputSchema?.required?.includes("execution_id"), tool);

let r = await client.callTool({ name: "ratchet_analyze_execution_error",
  arguments: { execution_id: Number(execution) } });
const d = r.structuredContent || JSON.parse(r.content[0].text);
check("analyze: not an error", !r.isError, r);
check("analyze: the compatible summary (category, location)",
  d.analysis?.category && d.analysis?.location?.file === "main.js", d.analysis);
check(`analyze: matched_patterns has ${pattern}`,
  (d.matched_patterns || []).some((p) => p.id === pattern), d.matched_patterns);
check("analyze: suggestions flattened", (d.suggestions || []).length > 0, d.suggestions);
const frames = d.report?.error?.frames || [];
check("analyze: the report's first frame shows the author's failing line",
  (frames[0]?.source || []).some((l) => l.failing && l.text.includes(line)), frames);
check("analyze: the report has its budget", d.report?.budget?.estimate === "characters / 4",
  d.report?.budget);

r = await client.callTool({ name: "ratchet_analyze_execution_error",
  arguments: { execution_id: String(execution), format: "markdown", max_tokens: 2000 } });
const md = (r.structuredContent || JSON.parse(r.content[0].text)).report || "";
check("analyze markdown: the guide's sections", md.includes("# Error Analysis Report") &&
  md.includes("## Pattern Analysis") && md.includes("## Related Events"), md.slice(0, 400));
check("analyze markdown: the failing line", md.includes(line), md.slice(0, 400));

r = await client.callTool({ name: "ratchet_analyze_execution_error",
  arguments: { execution_id: 999999 } });
check("analyze of an unknown execution is an error result", r.isError, r);

await client.close();
process.exit(failures);
