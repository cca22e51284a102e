#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance, server mode) against
# /mcp on `ratchet serve`: every scenario that applies to what api-mcp offers must pass. The
# others call fixture tools, resources and prompts of the SDK's own test server (test_*,
# test://...) or capabilities Ratchet does not declare (plugins/api-mcp/README.md lists them).
# 0.1.13 is the last release that runs on Node 20 (0.1.14 on needs fs.globSync, Node >= 22).
# Skips (exit 77) when Node or the package cannot be had.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
CACHE=${RATCHET_NPM_CONFORMANCE_CACHE:-$RATCHET_SOURCE_DIR/.cache/npm-mcp-conformance}
VERSION=0.1.13
SCENARIOS=(server-initialize logging-set-level ping tools-list server-sse-polling
  server-sse-multiple-streams resources-list dns-rebinding-protection)

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: node and npm are needed for the MCP conformance suite"; exit 77
fi
CONF=$CACHE/node_modules/.bin/conformance
if [ ! -x "$CONF" ] &&
   ! npm install --prefix "$CACHE" --no-audit --no-fund "@modelcontextprotocol/conformance@$VERSION" \
     >"$WORK/npm.log" 2>&1; then
  echo "SKIP: cannot install @modelcontextprotocol/conformance@$VERSION:"; tail -5 "$WORK/npm.log"
  exit 77
fi

cat >"$WORK/r.yaml" <<YAML
instances:
  - name: file
    plugin: logger-file
    options: {path: serve.jsonl, level: info}
  - name: web
    plugin: http
    options: {listen: "127.0.0.1:0"}
  - name: mcp
    plugin: api-mcp
YAML
"$RATCHET_BIN" --config "$WORK/r.yaml" --data-dir "$WORK/data" --tasks "$RATCHET_SOURCE_DIR/sample" \
  serve 2>"$WORK/serve.err" &
SPID=$!
cleanup_hooks+=("kill -9 $SPID 2>/dev/null")
wait_for 20 grep -q "ratchet serve: ready" "$WORK/serve.jsonl" || { fail "serve did not start"; finish; }
URL=$(grep -o 'listening on http://[^"]*' "$WORK/serve.jsonl" | head -1 | sed 's/listening on //')/mcp
for s in "${SCENARIOS[@]}"; do
  OUT=$(cd "$WORK" && timeout 120 "$CONF" server --url "$URL" --scenario "$s" -o "$WORK/results" 2>&1) &&
    RC=0 || RC=$?
  ERR=$OUT
  expect_rc 0 "conformance scenario $s"
done
kill -TERM "$SPID"; wait "$SPID" && RC=0 || RC=$?
OUT="" ERR=$(cat "$WORK/serve.err"); expect_rc 0 "serve stops cleanly"
finish
