#!/usr/bin/env bash
# The README's "Using the GraphQL API" examples (curl; and the graphql-ws one when node and npm
# are there), run as written against a real `ratchet serve
# --tasks sample` (its default front ends) on a fresh data directory: only the port differs (a
# free one instead of 8080) and curl is told to fail on an HTTP error (-f). Each command must
# succeed, and the answers must say what the comments say.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }

serve_bg "$WORK/serve.err" "$RATCHET_BIN" --data-dir "$WORK/data" \
  --tasks "$RATCHET_SOURCE_DIR/sample" serve --workers 2 --listen 127.0.0.1:0 || finish
readme_run_curls graphql 6
expect_rc 0 "every README example succeeds"
expect_out_contains '"name":"addition"' "the tasks query lists the samples"
expect_out_contains '"output":{"sum":42}' "executeTaskSync answers the task's output"
expect_out_contains '"status":"COMPLETED"' "the job ends completed"
expect_out_contains 'event: next' "the subscription's events arrive as SSE"
expect_out_contains '"workers":[' "a GET query answers"
CHECKS=$((CHECKS + 1))
errors=$(grep -o '"errors"' <<<"$OUT" | wc -l)
[ "$errors" = 1 ] && pass "only the deliberate mistake is an error" || fail "$errors answers with errors: $OUT"
expect_out_contains 'Cannot query field \"nmae\" on type \"TaskList\".' "a mistake is a GraphQL error"
expect_out_contains '"locations":[{"line":1,"column":11}]' "the error says where"

# The WebSocket example (graphql-ws), run in the tests' npm folder for it.
readme_block graphql-ws >"$WORK/ws.sh"
CACHE=${RATCHET_NPM_WS_CACHE:-$RATCHET_SOURCE_DIR/.cache/npm-graphql-ws}
if command -v node >/dev/null && command -v npm >/dev/null && mkdir -p "$CACHE"; then
  OUT=$(cd "$CACHE" && timeout 120 bash -e -o pipefail "$WORK/ws.sh" 2>"$WORK/stderr") && RC=0 || RC=$?
  ERR=$(cat "$WORK/stderr")
  expect_rc 0 "the WebSocket example succeeds"
  expect_out_contains '{"status":"COMPLETED","output":{"sum":9}}' "its job's status events end with the output"
else
  echo "note: node/npm are not installed: the WebSocket example is not run"
fi

kill -TERM "$SERVE"
wait "$SERVE" && RC=0 || RC=$?
expect_rc 0 "serve exits 0 on SIGTERM"
finish
