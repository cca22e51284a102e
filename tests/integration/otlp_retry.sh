#!/usr/bin/env bash
# exporter-otlp when the collector fails: `ratchet serve` exporting to this test's OTLP
# receiver (tests/integration/otlp_receiver.py) told to fail its first N requests. A request
# answered 503 is sent again after a back-off and the spans arrive (retries counted in
# ratchet_otlp_export_retries_total); one that keeps failing is given up after `retries` and
# its spans counted as failed; a 400 is not retried; while a request waits for its retry the
# queue stays bounded (spans beyond queue_size are dropped and counted) and a stop does not
# wait for the back-off. A retry_backoff longer than retry_max_backoff is refused, named.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
mkdir -p "$WORK/tasks"
cp -r "$RATCHET_SOURCE_DIR/sample/addition" "$WORK/tasks/addition"

# otlp_serve NAME FAILS STATUS OPTIONS: a receiver answering its first FAILS requests with
# STATUS (spans in $WORK/NAME.jsonl, answers in $WORK/NAME.jsonl.requests), and serve with an
# exporter-otlp instance sending to it with OPTIONS (YAML lines of its options map).
otlp_serve() {
  python3 "$RATCHET_SOURCE_DIR/tests/integration/otlp_receiver.py" "$WORK/$1.port" \
    "$WORK/$1.jsonl" "$2" "$3" &
  cleanup_hooks+=("kill $! 2>/dev/null")
  wait_for 10 test -s "$WORK/$1.port" || { fail "$1: the receiver did not start"; finish; }
  rm -f "$WORK/serve.jsonl"
  cat >"$WORK/$1.yaml" <<YAML
engine: {workers: 1, max_retries: 0, shutdown_grace: 1s}
$(rest_instances)
  - name: otlp
    plugin: exporter-otlp
    options:
      endpoint: http://127.0.0.1:$(cat "$WORK/$1.port")/v1/traces
      flush_interval: 50ms
$4
YAML
  serve_listening "$WORK/$1.yaml" || finish
}
job() { "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 1, "num2": 2}' --wait >/dev/null 2>&1; }
metric() { curl -s "$BASE/metrics" | awk -v m="ratchet_otlp_$1{instance=\"otlp\"}" '$1 == m {print $2 + 0}'; }
answers() { tr '\n' ' ' <"$WORK/$1.jsonl.requests" 2>/dev/null; }
logged() { grep -qF -- "$1" "$WORK/serve.jsonl"; }
stop_serve() {
  kill -TERM "$SERVE"
  wait "$SERVE" && RC=0 || RC=$?
}
check() { # check DESCRIPTION COMMAND...: one check that COMMAND succeeds
  local what=$1; shift
  CHECKS=$((CHECKS + 1))
  if "$@"; then pass "$what"; else fail "$what"; fi
}

# A retry_backoff longer than retry_max_backoff.
cat >"$WORK/bad.yaml" <<YAML
instances:
  - name: otlp
    plugin: exporter-otlp
    options: {retry_backoff: 10s, retry_max_backoff: 1s}
YAML
run "$RATCHET_BIN" --config "$WORK/bad.yaml" --data-dir "$WORK/baddata" --tasks "$WORK/tasks" serve --no-api
expect_rc 1 "retry_backoff > retry_max_backoff refused"
expect_err_contains "bad.yaml:4:30: retry_backoff: 10000 ms is longer than retry_max_backoff (1000 ms)" \
  "... with the option and its place named"

# Two 503s, then the spans go through on the second retry.
otlp_serve flaky 2 503 '      retries: 3
      retry_backoff: 50ms
      retry_max_backoff: 200ms'
job || fail "the job did not complete"
wait_for 20 test -s "$WORK/flaky.jsonl" || fail "no span arrived"
check "the collector saw 503, 503, then 200 ($(answers flaky))" \
  [ "$(answers flaky | cut -d' ' -f1-3)" = "503 503 200" ]
check "ratchet_otlp_export_retries_total is 2 ($(metric export_retries_total))" \
  [ "$(metric export_retries_total)" = 2 ]
check "no span failed ($(metric spans_failed_total))" [ "$(metric spans_failed_total)" = 0 ]
check "spans exported ($(metric spans_exported_total))" [ "$(metric spans_exported_total)" -ge 4 ]
check "each failed attempt is logged with the retry it leads to" logged "failed: the collector answered HTTP 503; retry 2 of 3 in"
stop_serve
expect_rc 0 "serve exits 0 on SIGTERM"

# Always 503: given up after `retries`, the spans counted as failed.
otlp_serve down 1000 503 '      retries: 2
      retry_backoff: 20ms'
job || fail "the job did not complete"
wait_for 20 logged "giving up (no retries left)" || fail "never gave up"
check "one request and two retries per batch ($(answers down))" \
  [ "$(answers down | cut -d' ' -f1-3)" = "503 503 503" ]
check "the given-up spans are counted as failed ($(metric spans_failed_total))" \
  [ "$(metric spans_failed_total)" -ge 1 ]
check "none counted as exported" [ "$(metric spans_exported_total)" = 0 ]
stop_serve

# A 400 is not worth sending again.
otlp_serve refused 1000 400 '      retries: 5
      retry_backoff: 20ms'
job || fail "the job did not complete"
wait_for 20 logged "giving up (not a failure worth retrying)" || fail "the 400 was not given up"
check "a 400 is not retried ($(metric export_retries_total) retries)" \
  [ "$(metric export_retries_total)" = 0 ]
check "the collector saw only 400s ($(answers refused))" \
  [ -z "$(answers refused | tr -d '400 ')" ]
stop_serve

# While a request waits an hour for its retry, the queue (2 spans) stays bounded: more spans
# are dropped and counted; SIGTERM ends the wait and serve exits without holding on.
otlp_serve stuck 1000 503 '      retries: 100
      retry_backoff: 1h
      retry_max_backoff: 1h
      batch_size: 1
      queue_size: 2'
job && job || fail "the jobs did not complete"
wait_for 20 logged "retry 1 of 100 in" || fail "the first request was not failed"
dropped_some() { [ "$(metric spans_dropped_total)" -ge 1 ]; }
wait_for 20 dropped_some
check "spans beyond queue_size are dropped and counted ($(metric spans_dropped_total))" \
  [ "$(metric spans_dropped_total)" -ge 1 ]
check "the request waiting for its retry was sent once ($(answers stuck))" [ "$(answers stuck)" = "503 " ]
t0=$(date +%s%N)
stop_serve
expect_rc 0 "serve exits 0 on SIGTERM during a retry's back-off"
check "... within 5 s ($(( ($(date +%s%N) - t0) / 1000000 )) ms)" \
  [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 5 ]
check "the stop says the waiting spans were not retried" logged "stopping: 1 span(s) not retried"
check "... and how many spans were dropped" logged "span(s) dropped (queue full)"
finish
