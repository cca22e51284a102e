#!/usr/bin/env bash
# The MCP front end's protocol, spoken raw: JSON-RPC lines into `ratchet mcp-serve` (stdio) and
# curl against /mcp on `ratchet serve` (Streamable HTTP). Each bad input (malformed JSON, a
# batch, an unknown method, wrong params, a call before initialize, a huge message, an
# unsupported version) gets its error code and message, and the server goes on answering.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
TASKS=("--tasks" "$RATCHET_SOURCE_DIR/sample" "--tasks" "$RATCHET_SOURCE_DIR/tests/integration/mcp")
INIT='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}'

source "$RATCHET_SOURCE_DIR/tests/integration/mcp_lib.sh"

# ---- stdio: the legacy era ------------------------------------------------------------------
start_mcp legacy
send '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
expect_answer 2 '"id":2,"error":{"code":-32002,"message":"not initialized: send initialize first' \
  "tools/list before initialize: -32002"
alive 3 "a call before initialize"
send '{"jsonrpc":"2.0","id":4,"method":"initialize","params":{"protocolVersion":"1999-01-01"}}'
expect_answer 4 '"protocolVersion":"2025-11-25"' "an unknown version gets the latest (2025-11-25)"
send '{"jsonrpc":"2.0","id":5,"method":"initialize","params":{}}'
expect_answer 5 '"code":-32602,"message":"initialize needs params.protocolVersion' \
  "initialize without protocolVersion: -32602"
send "${INIT/2025-11-25/2025-03-26}"
expect_answer 1 '"protocolVersion":"2025-03-26"' "initialize echoes a supported version (2025-03-26)"
expect_out_contains '"serverInfo":{"name":"ratchet"' "serverInfo names ratchet"
send '{"jsonrpc":"2.0","method":"notifications/initialized"}'
send 'this is not json'
alive 6 "malformed JSON"
expect_log '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error at byte' \
  "malformed JSON: -32700 with id null"
send '[{"jsonrpc":"2.0","id":7,"method":"ping"}]'
alive 8 "a batch"
expect_log '"id":null,"error":{"code":-32600,"message":"JSON-RPC batches are not supported' \
  "a batch: -32600 naming batches"
send '{"jsonrpc":"1.0","id":9,"method":"ping"}'
expect_answer 9 '"code":-32600,"message":"jsonrpc must be \"2.0\""' "jsonrpc 1.0: -32600"
send '{"jsonrpc":"2.0","id":10,"method":"no/such/method"}'
expect_answer 10 '"code":-32601,"message":"method not found: no/such/method"' \
  "unknown method: -32601"
send '{"jsonrpc":"2.0","id":11,"method":"tools/call","params":{"arguments":{}}}'
expect_answer 11 '"code":-32602,"message":"tools/call needs params.name' "tools/call without a name"
send '{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"no_such_tool"}}'
expect_answer 12 '"code":-32602,"message":"unknown tool: no_such_tool"' "unknown tool: -32602"
send '{"jsonrpc":"2.0","id":13,"method":"tools/list","params":[1]}'
expect_answer 13 '"code":-32602,"message":"params must be an object"' "params as an array: -32602"
send '{"jsonrpc":"2.0","id":14,"method":"logging/setLevel","params":{"level":"loud"}}'
expect_answer 14 '"code":-32602,"message":"params.level must be one of' "a bad log level: -32602"
send '{"jsonrpc":"2.0","id":15,"method":"tools/list","params":{"cursor":"bogus"}}'
expect_answer 15 '"code":-32602,"message":"invalid cursor' "a bad cursor: -32602"
send '{"jsonrpc":"2.0","id":16,"method":"resources/read","params":{"uri":"ratchet://tasks/nope/main.js"}}'
expect_answer 16 '"code":-32002,"message":"resource not found: ratchet://tasks/nope/main.js' \
  "an unknown resource: -32002"
HUGE="{\"jsonrpc\":\"2.0\",\"id\":17,\"method\":\"ping\",\"params\":{\"pad\":\"$(head -c 5242880 /dev/zero | tr '\0' a)\"}}"
send "$HUGE"
alive 18 "a 5 MiB message"
expect_log "\"id\":null,\"error\":{\"code\":-32600,\"message\":\"message of ${#HUGE} bytes is over the limit of 4194304 bytes; skipped\"" \
  "a 5 MiB message: -32600 with its size"
answer 17
CHECKS=$((CHECKS + 1))
[ -z "$OUT" ] && pass "the huge message was not executed" || fail "huge ping answered: $OUT"

# tools: a run, a bad input, a page
send '{"jsonrpc":"2.0","id":20,"method":"tools/call","params":{"name":"ratchet_execute_task","arguments":{"task_id":"addition","input":{"num1":2,"num2":3}}}}'
expect_answer 20 '"structuredContent":{"sum":5},"isError":false' "execute addition: structuredContent"
send '{"jsonrpc":"2.0","id":21,"method":"tools/call","params":{"name":"task_addition","arguments":{"num1":"two","num2":3}}}'
expect_answer 21 '"isError":true' "a bad input is a tool error, not a JSON-RPC error"
expect_out_contains '/num1' "the tool error names the pointer /num1"
send '{"jsonrpc":"2.0","id":22,"method":"tools/call","params":{"name":"ratchet_list_available_tasks","arguments":{"filter":"addit"}}}'
expect_answer 22 '\"name\":\"addition\"' "list_available_tasks filters by name"
send '{"jsonrpc":"2.0","id":23,"method":"resources/read","params":{"uri":"ratchet://tasks/addition/input.schema.json"}}'
expect_answer 23 '"mimeType":"application/schema+json"' "resources/read of a schema"
# a failing execution: an isError result with the typed error, then its analysis and logs
send '{"jsonrpc":"2.0","id":24,"method":"tools/call","params":{"name":"task_broken-task","arguments":{}}}'
expect_answer 24 '"isError":true' "a failed execution is a tool error"
expect_out_contains 'Task execution failed (runtime_error): TypeError' "it names the error's kind and name"
EXEC=$(sed -n 's/.*"ratchet\/executionId":\([0-9]*\).*/\1/p' <<<"$OUT")
send "{\"jsonrpc\":\"2.0\",\"id\":25,\"method\":\"tools/call\",\"params\":{\"name\":\"ratchet_analyze_execution_error\",\"arguments\":{\"execution_id\":${EXEC:-0}}}}"
expect_answer 25 '"category":"undefined property access"' "analyze: undefined property access"
expect_out_contains '"location":{"file":"main.js","line":5' "analyze: the location is main.js:5"
send "{\"jsonrpc\":\"2.0\",\"id\":26,\"method\":\"tools/call\",\"params\":{\"name\":\"ratchet_get_execution_logs\",\"arguments\":{\"execution_id\":${EXEC:-0},\"format\":\"text\"}}}"
expect_answer 26 'info looking up the customer' "execution logs as text"
send '{"jsonrpc":"2.0","id":27,"method":"tools/call","params":{"name":"ratchet_batch_execute","arguments":{"execution_mode":"dependency","requests":[{"id":"a","task_id":"addition","input":{"num1":1,"num2":2}},{"id":"b","task_id":"broken-task","input":{},"dependencies":["a"]},{"id":"c","task_id":"addition","input":{"num1":1,"num2":1},"dependencies":["b"]}]}}}'
expect_answer 27 '"summary":{"total":3,"completed":1,"failed":1,"skipped":1}' \
  "batch by dependency: a dependent of a failure is skipped"
send '{"jsonrpc":"2.0","id":28,"method":"tools/call","params":{"name":"ratchet_batch_execute","arguments":{"requests":[{"id":"a","task_id":"addition","input":{},"dependencies":["zz"]}]}}}'
expect_answer 28 "requests[0]: unknown dependency 'zz'" "batch: an unknown dependency is refused"
stop_mcp

# ---- stdio: the stateless revision ------------------------------------------------------------
start_mcp modern
META='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}'
send "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{$META}}"
expect_answer 1 '"supportedVersions":["2026-07-28","2025-11-25","2025-06-18","2025-03-26","2024-11-05"]' \
  "server/discover lists the versions"
send "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{$META}}"
expect_answer 2 '"resultType":"complete"' "tools/list with _meta 2026-07-28 needs no initialize"
send '{"jsonrpc":"2.0","id":3,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2031-01-01"}}}'
expect_answer 3 '"code":-32022,"message":"unsupported protocol version \"2031-01-01\"","data":{"supported":["2026-07-28"' \
  "an unsupported _meta version: -32022 with data.supported"
stop_mcp

# ---- Streamable HTTP --------------------------------------------------------------------------
cat >"$WORK/http.yaml" <<YAML
engine:
  workers: 1
instances:
  - name: file
    plugin: logger-file
    options: {path: http.jsonl, level: info}
  - name: web
    plugin: http
    options: {listen: "127.0.0.1:0", auth: api_key}
  - name: mcp
    plugin: api-mcp
    options: {allowed_origins: ["http://app.example"], page_size: 5}
YAML
KEYS=("$RATCHET_BIN" --config "$WORK/http.yaml" --data-dir "$WORK/data-http" keys)
READ_KEY=$("${KEYS[@]}" create --name reader --scope read 2>/dev/null | tail -1)
WRITE_KEY=$("${KEYS[@]}" create --name writer --scope write 2>/dev/null | tail -1)
KEY=$WRITE_KEY
"$RATCHET_BIN" --config "$WORK/http.yaml" --data-dir "$WORK/data-http" "${TASKS[@]}" serve \
  2>"$WORK/http.err" &
SPID=$!
cleanup_hooks+=("kill -9 $SPID 2>/dev/null")
wait_for 20 grep -q "ratchet serve: ready" "$WORK/http.jsonl" || fail "serve did not start"
URL=$(grep -o 'listening on http://[^"]*' "$WORK/http.jsonl" | head -1 | sed 's/listening on //')/mcp
# post BODY [HEADERS...]: OUT = headers + body, CODE = status
post() {
  local body=$1; shift
  OUT=$(curl -s -D - --max-time 20 -H 'Content-Type: application/json' -H "X-API-Key: $KEY" \
    -H 'Accept: application/json, text/event-stream' "$@" --data-binary "$body" "$URL") || true
  CODE=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' <<<"$OUT")
}
expect_code() {
  CHECKS=$((CHECKS + 1))
  if [ "$CODE" = "$1" ]; then pass "$2 ($CODE)"; else fail "$2: expected $1, got '$CODE'"; echo "$OUT" >&2; fi
}
post "$INIT"
expect_code 200 "HTTP initialize"
SID=$(grep -i '^Mcp-Session-Id:' <<<"$OUT" | tr -d '\r' | awk '{print $2}')
CHECKS=$((CHECKS + 1))
[[ "$SID" =~ ^[0-9a-f]{32}$ ]] && pass "initialize issues an Mcp-Session-Id" || fail "session id '$SID'"
post '{"jsonrpc":"2.0","method":"notifications/initialized"}' -H "Mcp-Session-Id: $SID"
expect_code 202 "a notification gets 202"
post '{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
expect_code 400 "no Mcp-Session-Id after initialize"
expect_out_contains "Mcp-Session-Id header is required" "400 says the header is required"
post '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' -H "Mcp-Session-Id: 0123456789abcdef0123456789abcdef"
expect_code 404 "an unknown session"
post '{"jsonrpc":"2.0","id":2,"method":"tools/list"}' -H "Mcp-Session-Id: $SID" \
  -H 'MCP-Protocol-Version: 1999-01-01'
expect_code 400 "an unsupported MCP-Protocol-Version header"
post '{"jsonrpc":"2.0","id":2,"method":"ping"}' -H "Mcp-Session-Id: $SID" -H 'Origin: http://evil.example'
expect_code 403 "an Origin not allowed (DNS rebinding)"
post '{"jsonrpc":"2.0","id":2,"method":"ping"}' -H "Mcp-Session-Id: $SID" -H 'Origin: http://app.example'
expect_code 200 "an allowed Origin"
post '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"task_addition","arguments":{"num1":1,"num2":2}}}' \
  -H "Mcp-Session-Id: $SID" -H 'MCP-Protocol-Version: 2025-11-25'
expect_code 200 "tools/call over HTTP"
expect_out_contains '"structuredContent":{"sum":3}' "tools/call answers application/json"
post '{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"task_long-task","arguments":{"seconds":2},"_meta":{"progressToken":"p1"}}}' \
  -H "Mcp-Session-Id: $SID"
expect_out_contains 'Content-Type: text/event-stream' "tools/call with a progressToken streams SSE"
expect_out_contains '"method":"notifications/progress","params":{"progressToken":"p1"' "progress on the stream"
expect_out_contains '"structuredContent":{"ticks":2}' "the result ends the stream"
post '{"jsonrpc":"2.0","id":29,"method":"tools/list"}' -H "Mcp-Session-Id: $SID"
CURSOR=$(sed -n 's/.*"nextCursor":"\([^"]*\)".*/\1/p' <<<"$OUT")
CHECKS=$((CHECKS + 1))
[ "$(grep -o '"inputSchema"' <<<"$OUT" | wc -l)" = 5 ] && [ -n "$CURSOR" ] &&
  pass "tools/list: a page of 5 (page_size) and a nextCursor" || fail "first page: $OUT"
PAGES=1 ALL=$OUT
while [ -n "$CURSOR" ] && [ "$PAGES" -lt 20 ]; do
  post "{\"jsonrpc\":\"2.0\",\"id\":30,\"method\":\"tools/list\",\"params\":{\"cursor\":\"$CURSOR\"}}" \
    -H "Mcp-Session-Id: $SID"
  CURSOR=$(sed -n 's/.*"nextCursor":"\([^"]*\)".*/\1/p' <<<"$OUT")
  PAGES=$((PAGES + 1)) ALL+=$OUT
done
OUT=$ALL
expect_out_contains '"name":"task_long-task"' "following nextCursor reaches every task tool"
expect_out_contains '"name":"ratchet_get_results"' "... and every ratchet_ tool"
KEY=$READ_KEY
post '{"jsonrpc":"2.0","id":31,"method":"tools/list"}' -H "Mcp-Session-Id: $SID"
expect_code 200 "a read key lists tools"
post '{"jsonrpc":"2.0","id":32,"method":"tools/call","params":{"name":"task_addition","arguments":{"num1":1,"num2":2}}}' \
  -H "Mcp-Session-Id: $SID"
expect_out_contains '"isError":true' "a read key cannot run a task"
expect_out_contains 'task_addition needs an API key with the write scope; this one has read' \
  "the tool error says which scope is needed"
KEY=wrong
post '{"jsonrpc":"2.0","id":33,"method":"ping"}' -H "Mcp-Session-Id: $SID"
expect_code 401 "an unknown API key"
KEY=$WRITE_KEY
post 'nope' -H "Mcp-Session-Id: $SID"
expect_code 400 "malformed JSON over HTTP"
expect_out_contains '"code":-32700' "-32700 over HTTP"
post '{"jsonrpc":"2.0","id":5,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}'
expect_code 200 "a stateless request needs no session"
OUT=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "X-API-Key: $KEY" -H "Mcp-Session-Id: $SID" "$URL")
CODE=$OUT
expect_code 204 "DELETE ends the session"
post '{"jsonrpc":"2.0","id":6,"method":"ping"}' -H "Mcp-Session-Id: $SID"
expect_code 404 "the ended session is gone"
OUT=$(curl -s -D - -o /dev/null -H "X-API-Key: $KEY" -H 'Accept: text/event-stream' "$URL")
CODE=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' <<<"$OUT")
expect_code 405 "GET: no standalone stream"
kill -TERM "$SPID"; wait "$SPID" && RC=0 || RC=$?
OUT="" ERR=$(cat "$WORK/http.err"); expect_rc 0 "serve stops cleanly"

# ---- bad options ------------------------------------------------------------------------------
bad_options() { # OPTIONS MESSAGE
  printf 'instances:\n  - name: mcp\n    plugin: api-mcp\n    options: {%s}\n' "$1" >"$WORK/bad.yaml"
  run "$RATCHET_BIN" --config "$WORK/bad.yaml" --data-dir "$WORK/data-bad" serve
  expect_rc 1 "refused: $1"
  expect_err_contains "$2" "the message says why ($1)"
}
bad_options 'path: mcp' "create failed: path must start with '/' (e.g. /mcp), not 'mcp'"
bad_options 'allowed_origins: "http://x"' \
  'bad.yaml:4:32: allowed_origins must be a list of origins such as "http://localhost:3000"'
bad_options 'transport: sse' "options.transport: expected one of http|stdio, got 'sse'"
# A client that writes its requests and closes stdin at once still gets every answer: mcp-serve
# stops only after the tool call in flight has ended, and exits 0.
printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"pipe","version":"1"}}}' \
  '{"jsonrpc":"2.0","method":"notifications/initialized"}' \
  '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"task_addition","arguments":{"num1":1,"num2":2}}}' \
  >"$WORK/pipe.in"
run timeout 60 "$RATCHET_BIN" --data-dir "$WORK/data-pipe" "${TASKS[@]}" mcp-serve <"$WORK/pipe.in"
expect_rc 0 "mcp-serve exits 0 after stdin closed"
expect_out_contains '"structuredContent":{"sum":3}' "the call sent before EOF is answered with its output"

finish
