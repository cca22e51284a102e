#!/usr/bin/env bash
# The official MCP TypeScript SDK (@modelcontextprotocol/sdk, from the npm registry) as the
# client of Ratchet: over stdio (StdioClientTransport spawning `ratchet mcp-serve`) and over
# Streamable HTTP (StreamableHTTPClientTransport against /mcp on `ratchet serve`). The checks
# themselves are in mcp/client.mjs: list tools, run addition, a task tool, a bad input, progress
# during a 12 s task with a 6 s request timeout, and a cancelled call whose job ends cancelled.
# Skips (exit 77) when Node or the SDK cannot be had.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
CACHE=${RATCHET_NPM_CACHE:-$RATCHET_SOURCE_DIR/.cache/npm-mcp}
TASKS=("--tasks" "$RATCHET_SOURCE_DIR/sample" "--tasks" "$RATCHET_SOURCE_DIR/tests/integration/mcp")

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: node and npm are needed for the MCP SDK client (apt-get install nodejs npm)"
  exit 77
fi
if [ ! -d "$CACHE/node_modules/@modelcontextprotocol/sdk" ] &&
   ! npm install --prefix "$CACHE" --no-audit --no-fund @modelcontextprotocol/sdk@1 >"$WORK/npm.log" 2>&1; then
  echo "SKIP: cannot install @modelcontextprotocol/sdk from the npm registry:"
  tail -5 "$WORK/npm.log"
  exit 77
fi
# ESM resolves packages from the script's own folder: run a copy placed beside node_modules.
cp "$RATCHET_SOURCE_DIR/tests/integration/mcp/client.mjs" "$CACHE/client.mjs"

# client MODE TARGET...: run the SDK client; its ok/FAIL lines count as checks here.
client() {
  local log=$WORK/client-$1.log
  timeout 240 node "$CACHE/client.mjs" "$@" >"$log" 2>"$WORK/client-$1.err" && RC=0 || RC=$?
  cat "$log"
  CHECKS=$((CHECKS + $(grep -c '^ok: ' "$log") + $(grep -c '^FAIL: ' "$log")))
  FAILURES=$((FAILURES + $(grep -c '^FAIL: ' "$log")))
  if [ "$RC" -ne 0 ] && ! grep -q '^FAIL: ' "$log"; then
    fail "the $1 client failed (exit $RC)"; tail -20 "$WORK/client-$1.err" >&2
  fi
  JOB=$(sed -n 's/^CANCELLED_JOB=//p' "$log")
}

# ---- stdio: the client spawns mcp-serve ---------------------------------------------------
client stdio "$RATCHET_BIN" --data-dir "$WORK/data-stdio" "${TASKS[@]}" mcp-serve
if [ -n "$JOB" ] && [ "$JOB" != 0 ]; then
  run "$RATCHET_BIN" --data-dir "$WORK/data-stdio" jobs show "$JOB"
  expect_out_contains "cancelled" "ratchet jobs show $JOB: the aborted call's job is cancelled"
fi

# ---- Streamable HTTP on serve ---------------------------------------------------------------
cat >"$WORK/http.yaml" <<YAML
engine:
  workers: 2
instances:
  - name: file
    plugin: logger-file
    options: {path: http.jsonl, level: info}
  - name: web
    plugin: http
    options: {listen: "127.0.0.1:0"}
  - name: mcp
    plugin: api-mcp
YAML
"$RATCHET_BIN" --config "$WORK/http.yaml" --data-dir "$WORK/data-http" "${TASKS[@]}" serve \
  2>"$WORK/http.err" &
SPID=$!
cleanup_hooks+=("kill -9 $SPID 2>/dev/null")
if wait_for 20 grep -q "ratchet serve: ready" "$WORK/http.jsonl"; then
  URL=$(grep -o 'listening on http://[^"]*' "$WORK/http.jsonl" | head -1 | sed 's/listening on //')
  client http "$URL/mcp"
  if [ -n "$JOB" ] && [ "$JOB" != 0 ]; then
    run "$RATCHET_BIN" --data-dir "$WORK/data-http" jobs show "$JOB"
    expect_out_contains "cancelled" "ratchet jobs show $JOB: the aborted call's job is cancelled"
  fi
  kill -TERM "$SPID"; wait "$SPID" && RC=0 || RC=$?
  OUT="" ERR=$(cat "$WORK/http.err"); expect_rc 0 "serve stops cleanly"
else
  fail "serve did not start"; cat "$WORK/http.err" >&2
fi
finish
