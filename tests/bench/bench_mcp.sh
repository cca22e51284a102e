#!/usr/bin/env bash
# bench_mcp.sh - the MCP front end under load (issue 9, point 8): tools/call of
# ratchet_execute_task on the sample task `addition`, calls per second and p50/p99 latency, over
# Streamable HTTP (/mcp on `ratchet serve`) and over stdio (`ratchet mcp-serve`), beside the
# REST synchronous execute (POST /api/v1/tasks/addition/execute) on the same server, measured in
# the same run with the same client concurrency. The client is bench_mcp.mjs (Node): REST and
# raw MCP-over-HTTP share one node:http loop, so their client cost is the same; the official
# SDK client (@modelcontextprotocol/sdk, as tests/integration/mcp_sdk.sh installs it) drives
# MCP over HTTP and over stdio as an agent would. Both servers run 2 workers on SQLite.
# Speed never fails the run; a wrong answer does (an error result, a wrong sum).
#
# Usage: bench_mcp.sh [--smoke] [BUILD_DIR]
#   BUILD_DIR holds the ratchet binary; without it, the env RATCHET_BIN names it.
#   --smoke: 40 calls per path (the CTest run).
#   Env: RATCHET_SOURCE_DIR, BENCH_MCP_CALLS (2000), BENCH_MCP_CONCURRENCY (8),
#   RATCHET_NPM_CACHE (where the SDK is installed; default .cache/npm-mcp in the source tree).
# Exit 77 (skipped) when node, npm or the SDK cannot be had.
set -euo pipefail
smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
if [ -n "${1:-}" ]; then
  R=$1/ratchet
else
  R=${RATCHET_BIN:?give BUILD_DIR or set RATCHET_BIN}
fi
src=${RATCHET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
cache=${RATCHET_NPM_CACHE:-$src/.cache/npm-mcp}
export BENCH_MCP_CALLS=${BENCH_MCP_CALLS:-2000} BENCH_MCP_CONCURRENCY=${BENCH_MCP_CONCURRENCY:-8}
[ "$smoke" = 1 ] && export BENCH_MCP_CALLS=40 BENCH_MCP_WARMUP=5
for tool in node npm python3; do
  command -v "$tool" >/dev/null || { echo "bench_mcp: $tool is not installed (apt-get install nodejs npm python3): skipped" >&2; exit 77; }
done
[ -x "$R" ] || { echo "bench_mcp: no ratchet binary at $R" >&2; exit 1; }

work=$(mktemp -d)
serve_pid=""
cleanup() {
  [ -n "$serve_pid" ] && kill -9 "$serve_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "bench_mcp: $*" >&2; exit 1; }

if [ ! -d "$cache/node_modules/@modelcontextprotocol/sdk" ] &&
   ! npm install --prefix "$cache" --no-audit --no-fund @modelcontextprotocol/sdk@1 >"$work/npm.log" 2>&1; then
  echo "bench_mcp: cannot install @modelcontextprotocol/sdk from the npm registry: skipped" >&2
  tail -5 "$work/npm.log" >&2
  exit 77
fi
# ESM resolves packages from the script's own folder: run a copy placed beside node_modules.
cp "$src/tests/bench/bench_mcp.mjs" "$cache/bench_mcp.mjs"

# until_ok DEADLINE_S CMD...: run CMD every 50 ms until it succeeds (the condition) or the
# deadline passes (status 1).
until_ok() {
  local end=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.05
  done
}

# ---- ratchet serve: REST and MCP over HTTP ------------------------------------------------
cat >"$work/serve.yaml" <<YAML
engine:
  workers: 2
logging:
  level: info
instances:
  - name: console
    plugin: logger-console
    options: {level: info, color: never}
  - name: http
    plugin: http
    options: {listen: "127.0.0.1:0", rate_limit: 0, access_log: false}
  - name: rest
    plugin: api-rest
  - name: mcp
    plugin: api-mcp
YAML
"$R" --config "$work/serve.yaml" --data-dir "$work/data-http" --tasks "$src/sample" serve \
  2>"$work/serve.err" &
serve_pid=$!
listening() {
  kill -0 "$serve_pid" 2>/dev/null || fail "ratchet serve exited: $(tail -5 "$work/serve.err")"
  grep -q 'listening on http://127\.0\.0\.1:[0-9]' "$work/serve.err"
}
until_ok 30 listening || fail "ratchet serve never logged 'listening on': $(tail -5 "$work/serve.err")"
base=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$work/serve.err" | head -1 | sed 's/listening on //')

# client MODE TARGET...: one measured run, its JSON line appended to results.jsonl.
client() {
  node "$cache/bench_mcp.mjs" "$@" >>"$work/results.jsonl" 2>"$work/client-$1.err" ||
    fail "the $1 client failed: $(tail -5 "$work/client-$1.err")"
}
: >"$work/results.jsonl"
client rest "$base"
client mcp-http "$base/mcp"
client sdk-http "$base/mcp"
kill -TERM "$serve_pid"
wait "$serve_pid" || true
serve_pid=""

# ---- ratchet mcp-serve: MCP over stdio (the SDK spawns it) --------------------------------
cat >"$work/stdio.yaml" <<YAML
engine:
  workers: 2
logging:
  level: warn
YAML
client sdk-stdio "$R" --config "$work/stdio.yaml" --data-dir "$work/data-stdio" \
  --tasks "$src/sample" mcp-serve

# ---- the table ----------------------------------------------------------------------------
python3 - "$work/results.jsonl" "$smoke" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
names = {"rest": "REST  POST /api/v1/tasks/addition/execute (node:http)",
         "mcp-http": "MCP   tools/call over Streamable HTTP (node:http, raw JSON-RPC)",
         "sdk-http": "MCP   tools/call over Streamable HTTP (official SDK client)",
         "sdk-stdio": "MCP   tools/call over stdio, mcp-serve (official SDK client)"}
r0 = rows[0]
print(f"addition executed {r0['calls']} times per path, {r0['concurrency']} calls in flight; "
      "2 workers, SQLite, loopback")
print(f"{'path':<66} {'calls/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'vs REST':>8} {'errors':>6}")
rest = next((r["rps"] for r in rows if r["mode"] == "rest"), None)
bad = 0
for r in rows:
    rel = f"{100 * r['rps'] / rest:.0f} %" if rest else "-"
    print(f"{names[r['mode']]:<66} {r['rps']:>8.0f} {r['p50Ms']:>8.2f} {r['p99Ms']:>8.2f} "
          f"{rel:>8} {r['errors']:>6}")
    bad += r["errors"]
if sys.argv[2] == "1":
    print("(smoke run: too few calls for the figures to mean anything)")
sys.exit(1 if bad else 0)
PY
