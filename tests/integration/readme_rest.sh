#!/usr/bin/env bash
# The README's "Using the REST API" examples, run as written against a real `ratchet serve
# --tasks sample` on a fresh data directory: only the port differs (a free one instead of
# 8080) and curl is told to fail on an HTTP error (-f). Each command must succeed, and the
# answers must say what the comments say.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }

serve_bg "$WORK/serve.err" "$RATCHET_BIN" --data-dir "$WORK/data" \
  --tasks "$RATCHET_SOURCE_DIR/sample" serve --workers 2 --listen 127.0.0.1:0 || finish
readme_run_curls rest 10
expect_rc 0 "every README example succeeds"
expect_out_contains '"sum":42' "execute answers the task's output"
expect_out_contains '"priority":"high"' "POST /jobs answers the queued job"
expect_out_contains 'event: status' "the job's events arrive as SSE"
expect_out_contains '"name":"nightly"' "the schedule is created"
expect_out_contains 'ratchet_jobs{' "metrics list jobs by status"
expect_out_contains '"pagination"' "lists carry pagination meta"

kill -TERM "$SERVE"
wait "$SERVE" && RC=0 || RC=$?
expect_rc 0 "serve exits 0 on SIGTERM"
finish
