#!/usr/bin/env bash
# Error analysis as a user runs it: a failing task run by `ratchet serve` (http, api-rest and
# api-mcp on an ephemeral loopback port), then
#  - `ratchet executions analyze ID` (markdown and --format json, --max-tokens) shows the
#    matched pattern (a built-in one and one of logging.patterns) and the author's source line;
#  - GET /api/v1/executions/{id}/analysis the same report;
#  - the MCP tool ratchet_analyze_execution_error through the official SDK (mcp/analyze.mjs;
#    skipped when Node or the SDK cannot be had);
#  - GET /api/v1/logs/search and `ratchet logs search`, GET /api/v1/logs/trends, the patterns
#    routes, and GET /api/v1/logs/stream (Server-Sent Events while a task logs);
#  - each bad input with its message (flags, query arguments, a bad pattern).
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
mk lookup '// looks a profile up
function helper(user) {
  console.log("looking up", user.id);
  return user.profile.name;
}
function main(input) {
  console.warn("about to look up");
  return { name: helper(input) };
}'
mk declined 'function main(input) { console.log("calling with Authorization: Bearer abc.def.ghi"); console.error("card 4242 declined by issuer"); throw new Error("payment failed: card declined"); }'
mk fine 'function main(input) { return {ok: true}; }'
mk ticker 'function main(input) { for (var i = 0; i < 30; i++) { console.warn("tick " + i); var end = Date.now() + 100; while (Date.now() < end) {} } return {}; }'
cat >"$WORK/r.yaml" <<YAML
execution:
  timeout: 20s
engine:
  workers: 2
  max_retries: 0
logging:
  level: info
  patterns:
    - id: card_declined
      name: Card declined
      category: http
      severity: high
      confidence: 0.95
      suggestions: [Ask the customer for another card]
      match:
        and:
          - level: error
          - message_regex: 'card .*declined'
$(rest_instances)
  - name: mcp
    plugin: api-mcp
YAML
serve_listening "$WORK/r.yaml" || finish
call() { # call METHOD PATH [curl args...]: sets CODE and BODY
  local m=$1 p=$2; shift 2
  CODE=$(curl -s -X "$m" -o "$WORK/body" -w '%{http_code}' "$@" "$BASE$p")
  BODY=$(cat "$WORK/body")
}
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body" 2>/dev/null; }
expect() { # expect CODE DESCRIPTION [TEXT-IN-BODY]
  CHECKS=$((CHECKS + 1))
  if [ "$CODE" = "$1" ] && { [ -z "${3:-}" ] || grep -qF -- "$3" <<<"$BODY"; }; then pass "$2 ($CODE)"; else
    fail "$2: expected $1${3:+ with '$3'}, got $CODE: ${BODY:0:600}"; fi
}
# failed_execution TASK: run a job of TASK to its end; prints its execution id.
failed_execution() {
  local job
  job=$("${OPS[@]}" jobs submit --task "$1" --input-json '{"id": 7, "apiKey": "sk-secret-value-123456"}' --wait --json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["executionId"])')
  echo "$job"
}

EXEC=$(failed_execution lookup)
[ -n "$EXEC" ] || { fail "the lookup job did not run"; finish; }
DECLINED=$(failed_execution declined)

# ---- the CLI ---------------------------------------------------------------------------------
run "${OPS[@]}" executions analyze "$EXEC"
expect_rc 0 "executions analyze"
expect_out_contains "# Error Analysis Report" "markdown: the title"
expect_out_contains "**Error Type**: TypeError" "markdown: the error type"
expect_out_contains "JavaScript TypeError" "markdown: the matched built-in pattern"
expect_out_contains ">   4 |   return user.profile.name;" "markdown: the author's failing line, marked"
expect_out_contains "at helper (main.js:4" "markdown: the stack in main.js lines"
expect_out_contains '"apiKey": "[redacted]"' "markdown: the input's secret is masked"
expect_out_lacks "sk-secret-value-123456" "markdown: the secret itself never appears"
expect_out_contains "As recorded when the execution failed:" "markdown: the system state at the failure"
expect_out_contains "console.warn: about to look up" "markdown: related console lines"
expect_out_contains "## Suggested LLM Prompts" "markdown: suggested prompts"
run "${OPS[@]}" executions analyze "$EXEC" --format json
expect_rc 0 "executions analyze --format json"
CHECKS=$((CHECKS + 1))
if python3 - "$OUT" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
assert d["summary"]["location"] == "main.js:4:15" or d["summary"]["location"].startswith("main.js:4"), d["summary"]
assert any(p["id"] == "js_type_error" for p in d["patterns"]), d["patterns"]
f = d["error"]["frames"][0]
assert any(l["failing"] and "user.profile.name" in l["text"] for l in f["source"]), f
assert d["system"]["capturedAt"] == "failure" and d["system"]["queueDepth"] is not None, d["system"]
assert d["context"]["attempt"] == 1 and d["context"]["retriesSoFar"] == 0, d["context"]
assert len(d["context"]["traceId"] or "") == 32, d["context"]
assert d["budget"]["estimate"] == "characters / 4" and d["budget"]["dropped"] == [], d["budget"]
PY
then pass "json: location, pattern, source line, system state, context, budget"; else fail "json report: $OUT"; fi
run "${OPS[@]}" executions analyze "$DECLINED"
expect_out_contains "**Card declined** (\`card_declined\`" "a pattern of logging.patterns matched (from a console line)"
expect_out_contains "Ask the customer for another card" "its suggestion"
expect_out_contains "calling with Authorization: Bearer [redacted]" "a token a task printed is masked in the report"
expect_out_lacks "abc.def.ghi" "the token itself never appears"
run "${OPS[@]}" executions analyze "$EXEC" --max-tokens 150 --format json
expect_rc 0 "a small token budget"
CHECKS=$((CHECKS + 1))
if python3 - "$OUT" <<'PY'
import json, sys
text = sys.argv[1]
d = json.loads(text)
b = d["budget"]
assert b["maxTokens"] == 150 and b["dropped"][:3] == ["system state", "suggested prompts", "source lines around the failing ones"], b
assert "summary" in d and "system" not in d and "prompts" not in d, list(d)
PY
then pass "--max-tokens drops the least useful parts first and says which"; else fail "budget: $OUT"; fi
run "${OPS[@]}" executions analyze "$EXEC" --format yaml
expect_rc 2 "a bad --format"
expect_err_contains "--format: expected markdown or json, got 'yaml'" "its message"
run "${OPS[@]}" executions analyze "$EXEC" --max-tokens 5
expect_rc 2 "a too small --max-tokens"
expect_err_contains "--max-tokens: expected a number of tokens from 100 to 1000000, got '5'" "its message"
FINE=$(failed_execution fine)
run "${OPS[@]}" executions analyze "$FINE"
expect_rc 0 "analyze an execution that completed"
expect_out_contains "The execution has no error (it did not fail)." "it says so"
expect_out_contains "No error pattern matched." "and no pattern matched"
run "${OPS[@]}" executions analyze 999999
expect_rc 1 "an unknown execution"
expect_err_contains "execution 999999 not found" "its message"

# ---- REST ------------------------------------------------------------------------------------
call GET "/api/v1/executions/$EXEC/analysis"
expect 200 "GET analysis" '"js_type_error"'
CHECKS=$((CHECKS + 1))
[ "$(jget 'd["data"]["summary"]["errorType"]')" = "TypeError" ] && pass "GET analysis: the summary" || fail "GET analysis: $BODY"
call GET "/api/v1/executions/$EXEC/analysis?format=markdown&max_tokens=4000"
expect 200 "GET analysis as markdown" "return user.profile.name;"
call GET "/api/v1/executions/$EXEC/analysis?format=xml"
expect 400 "GET analysis with a bad format" "format: expected markdown or json, got 'xml'"
call GET "/api/v1/executions/$EXEC/analysis?max_tokens=ten"
expect 400 "GET analysis with a bad max_tokens" "max_tokens must be a positive integer"
call GET "/api/v1/executions/999999/analysis"
expect 404 "GET analysis of an unknown execution" "execution 999999 not found"

call GET "/api/v1/logs/search?level=error&task_name=declined"
expect 200 "logs search by level and task" "card 4242 declined by issuer"
CHECKS=$((CHECKS + 1))
[ "$(jget 'd["data"]["total"]')" = "1" ] && pass "logs search: one error line of task declined" || fail "logs search: $BODY"
call GET "/api/v1/logs/search?text=LOOKING%20UP&execution_id=$EXEC"
expect 200 "logs search by text and execution" "looking up 7"
call GET "/api/v1/logs/search?since=1h&source=server&text=ready"
expect 200 "logs search of the server's own events" "ratchet serve: ready"
call GET /metrics
expect 200 "the log store's drop counter is exported" 'ratchet_log_store_dropped_events_total{instance="log-store"} 0'
call GET "/api/v1/logs/search?level=loud"
expect 400 "logs search with a bad level" "level: expected trace|debug|info|warn|error"
call GET "/api/v1/logs/search?colour=red"
expect 400 "logs search with an unknown argument" "unknown search member 'colour'"
call GET "/api/v1/logs/search?since=yesterday"
expect 400 "logs search with a bad time" "since: expected RFC 3339"

call GET "/api/v1/logs/trends?since=2h&bucket_minutes=60"
expect 200 "logs trends" '"js_type_error"'
CHECKS=$((CHECKS + 1))
if python3 - "$BODY" <<'PY'
import json, sys
d = json.loads(sys.argv[1])["data"]
assert sum(b["failed"] for b in d["buckets"]) == 2, d
ids = {p["id"]: p["count"] for p in d["patterns"]}
assert ids.get("js_type_error") == 1 and ids.get("card_declined") == 1, ids
assert d["bucketSeconds"] == 3600 and len(d["buckets"]) in (2, 3), d
PY
then pass "trends: two failures by pattern in hourly buckets"; else fail "trends: $BODY"; fi
call GET "/api/v1/logs/trends?bucket_minutes=0"
expect 400 "trends with a bad bucket" "bucketMinutes: expected 1..1440"

call GET "/api/v1/logs/patterns"
expect 200 "the patterns" '"card_declined"'
CHECKS=$((CHECKS + 1))
[ "$(jget '[p["builtin"] for p in d["data"]["items"] if p["id"] == "db_timeout"][0]')" = "True" ] &&
  pass "patterns: built-in ones are marked" || fail "patterns: $BODY"
call POST /api/v1/logs/patterns/test -H 'Content-Type: application/json' \
  --data-binary '{"event": {"level": "error", "message": "HTTP 429: Too Many Requests"}}'
expect 200 "test an event against every pattern" '"rate_limited"'
call POST /api/v1/logs/patterns/test -H 'Content-Type: application/json' \
  --data-binary '{"event": {"message": "disk quota"}, "pattern": {"id": "mine", "match": {"message_regex": "quota"}}}'
expect 200 "test a pattern of one's own" '"matched":true'
call POST /api/v1/logs/patterns/test -H 'Content-Type: application/json' \
  --data-binary '{"event": {"message": "x"}, "pattern": {"id": "mine", "match": {"message_regex": "a(b"}}}'
expect 400 "a bad pattern" "JSON /match/message_regex: pattern[0].match.message_regex: invalid regular expression"

# The live stream: a task's warnings arrive as they are written.
curl -sN "$BASE/api/v1/logs/stream?level=warn" >"$WORK/stream" 2>/dev/null &
CURL=$!
cleanup_hooks+=("kill $CURL 2>/dev/null")
wait_for 10 grep -q '^:' "$WORK/stream" || fail "the stream did not open"
"${OPS[@]}" jobs submit --task ticker --input-json '{}' >/dev/null 2>&1
CHECKS=$((CHECKS + 1))
if wait_for 20 grep -q '"message":"tick 2"' "$WORK/stream"; then pass "logs stream: a running task's lines arrive"; else
  fail "logs stream: $(head -c 600 "$WORK/stream")"; fi
CHECKS=$((CHECKS + 1))
grep -q '^event: status' "$WORK/stream" && fail "logs stream carries status events" || pass "logs stream: only log and fetch events"
kill "$CURL" 2>/dev/null

# ---- `ratchet logs search` -------------------------------------------------------------------
run "${OPS[@]}" logs search --level error --task declined
expect_rc 0 "ratchet logs search"
expect_out_contains "card 4242 declined by issuer" "logs search: the line"
run "${OPS[@]}" logs search --execution "$EXEC" --json
expect_out_contains '"looking up 7"' "logs search --json"
run "${OPS[@]}" logs search --level shouting
expect_rc 2 "logs search with a bad level"
expect_err_contains "--level: expected trace|debug|info|warn|error" "its message"

# ---- MCP through the official SDK ---------------------------------------------------------
CACHE=${RATCHET_NPM_CACHE:-$RATCHET_SOURCE_DIR/.cache/npm-mcp}
if command -v node >/dev/null && command -v npm >/dev/null &&
   { [ -d "$CACHE/node_modules/@modelcontextprotocol/sdk" ] ||
     npm install --prefix "$CACHE" --no-audit --no-fund @modelcontextprotocol/sdk@1 >"$WORK/npm.log" 2>&1; }; then
  cp "$RATCHET_SOURCE_DIR/tests/integration/mcp/analyze.mjs" "$CACHE/analyze.mjs"
  timeout 120 node "$CACHE/analyze.mjs" "$BASE/mcp" "$EXEC" js_type_error "return user.profile.name;" \
    >"$WORK/mcp.log" 2>"$WORK/mcp.err" && RC=0 || RC=$?
  cat "$WORK/mcp.log"
  CHECKS=$((CHECKS + $(grep -c '^ok: ' "$WORK/mcp.log") + $(grep -c '^FAIL: ' "$WORK/mcp.log")))
  FAILURES=$((FAILURES + $(grep -c '^FAIL: ' "$WORK/mcp.log")))
  if [ "$RC" -ne 0 ] && ! grep -q '^FAIL: ' "$WORK/mcp.log"; then
    fail "the MCP client failed (exit $RC)"; tail -20 "$WORK/mcp.err" >&2
  fi
else
  echo "note: MCP SDK checks skipped (node, npm or @modelcontextprotocol/sdk unavailable)"
fi

# ---- a bad pattern in ratchet.yaml -----------------------------------------------------------
cat >"$WORK/bad.yaml" <<YAML
logging:
  patterns:
    - id: broken
      match: {message_regex: 'unclosed('}
YAML
run "$R" config validate "$WORK/bad.yaml"
expect_rc 1 "config validate refuses a bad pattern"
expect_err_contains "bad.yaml:4:30: logging.patterns[0].match.message_regex: invalid regular expression 'unclosed('" "with file:line:column and the key"

kill "$SERVE"; wait "$SERVE" 2>/dev/null
finish
