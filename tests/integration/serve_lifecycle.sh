#!/usr/bin/env bash
# `serve` drives create -> start -> (run) -> stop -> destroy, fans log events out to every
# logger instance, exits 0 on SIGTERM and SIGINT, and reports failing instances by name.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
F=$RATCHET_FIXTURE_DIR

cat >"$WORK/r.yaml" <<YAML
logging:
  level: debug
instances:
  - name: first
    plugin: fixture-logger
    options: {path: first.log, prefix: one, marker: first.marker}
  - name: second
    plugin: fixture-logger
    options: {path: second.log, prefix: two, marker: second.marker}
  - name: json
    plugin: logger-file
    options: {path: all.jsonl, level: debug}
YAML

# serve_until_ready SIGNAL: start serve, wait for readiness in the JSON log, send SIGNAL.
serve_and_stop() {
  local sig=$1
  rm -f "$WORK"/*.log "$WORK"/*.jsonl "$WORK"/*.marker
  "$RATCHET_BIN" --plugin-dir "$F/good" --config "$WORK/r.yaml" --data-dir "$WORK/data" serve --no-api 2>"$WORK/serve.err" &
  local pid=$!
  cleanup_hooks+=("kill -9 $pid 2>/dev/null")
  if wait_for 20 grep -q "ratchet serve: ready" "$WORK/all.jsonl"; then pass "ready logged ($sig)"; else
    fail "serve never became ready ($sig)"; cat "$WORK/serve.err" >&2; fi
  CHECKS=$((CHECKS + 1))
  kill -s "$sig" "$pid"
  wait "$pid" && RC=0 || RC=$?
  OUT="" ERR=$(cat "$WORK/serve.err")
  expect_rc 0 "serve exits 0 on $sig"
}

serve_and_stop TERM
for n in first second; do
  CHECKS=$((CHECKS + 1))
  if [ "$(cat "$WORK/$n.marker")" = $'started\nstopped' ]; then
    pass "$n: started, then stopped"; else fail "$n: lifecycle markers wrong"; cat "$WORK/$n.marker" >&2; fi
done
CHECKS=$((CHECKS + 1))
if grep -q "^one info host ratchet serve: ready" "$WORK/first.log" &&
  grep -q "^two info host ratchet serve: ready" "$WORK/second.log"; then
  pass "every logger instance got the event, with its own options"
else fail "fan-out to both fixture instances"; fi
CHECKS=$((CHECKS + 1))
if grep -q '"message":"received SIGTERM, shutting down' "$WORK/all.jsonl"; then
  pass "shutdown logged before loggers stop"; else fail "shutdown message missing"; fi
CHECKS=$((CHECKS + 1))
if grep -q '"message":"plugin fixture-logger' "$WORK/all.jsonl"; then pass "loaded plugins logged"; else
  fail "loaded plugins not logged"; fi

serve_and_stop INT

# A failing create(): serve exits 1 naming the instance, the plugin and the plugin's reason.
cat >"$WORK/fail-create.yaml" <<YAML
instances:
  - name: collector
    plugin: failing-create
    options: {endpoint: "tcp://10.9.9.9:1"}
YAML
run "$RATCHET_BIN" --plugin-dir "$F/failing-create" --config "$WORK/fail-create.yaml" serve
expect_rc 1 "failing create"
expect_err_contains "instance 'collector' (plugin failing-create): create failed: cannot reach the log collector at tcp://10.9.9.9:1" \
  "failing create message"

cat >"$WORK/fail-start.yaml" <<YAML
instances:
  - name: first
    plugin: fixture-logger
    options: {path: first.log, marker: first.marker}
  - name: starter
    plugin: failing-start
YAML
rm -f "$WORK/first.marker"
run "$RATCHET_BIN" --plugin-dir "$F/failing-start" --plugin-dir "$F/good" --config "$WORK/fail-start.yaml" serve
expect_rc 1 "failing start"
expect_err_contains "instance 'starter' (plugin failing-start): start failed: port already in use" \
  "failing start message"
CHECKS=$((CHECKS + 1))
if [ "$(cat "$WORK/first.marker")" = $'started\nstopped' ]; then pass "instances started before the failure are stopped"; else
  fail "earlier instance not stopped after a failed start"; fi
finish
