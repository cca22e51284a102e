#!/usr/bin/env bash
# A running `serve` follows an HTTP registry: its tasks are stored at the first poll, each
# later poll of an unchanged index is a 304 that downloads nothing, a new version published is
# stored within the polling interval, a restart downloads no zip again, and a stop is prompt
# even while a fetch hangs.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
source "$RATCHET_SOURCE_DIR/tests/integration/registry_lib.sh"
S=$RATCHET_SOURCE_DIR/sample
PUB=$WORK/pub
mkdir -p "$PUB"
cp -r "$S/addition" "$PUB/"
"$RATCHET_BIN" registry serve-index "$PUB" >/dev/null || fail "serve-index"
start_registry "$PUB"

cat >"$WORK/r.yaml" <<YAML
engine:
  workers: 1
  watch: false
registry:
  sources:
    - name: team
      type: http
      uri: $REG/index.json
      polling_interval: 1s
instances:
  - name: file
    plugin: logger-file
    options: {path: serve.jsonl, level: debug}
YAML
OPS=("$RATCHET_BIN" --config "$WORK/r.yaml" --data-dir "$WORK/data")

# start: serve in the background, ready within the deadline; SERVE is its pid.
start() {
  : >"$WORK/serve.jsonl"
  "${OPS[@]}" serve --no-api 2>>"$WORK/serve.err" &
  SERVE=$!
  cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
  wait_for 20 grep -q "ratchet serve: ready" "$WORK/serve.jsonl" || fail "serve did not start"
}
# stop_within SECONDS: SIGTERM, and serve must have exited before the deadline.
stop_within() {
  local t0=$(date +%s%N)
  kill -TERM "$SERVE"
  CHECKS=$((CHECKS + 1))
  if wait_for "$1" bash -c "! kill -0 $SERVE 2>/dev/null"; then
    pass "serve stopped within $1 s ($((($(date +%s%N) - t0) / 1000000)) ms)"
  else fail "serve did not stop within $1 s"; fi
  wait "$SERVE" 2>/dev/null
}
has_version() { "${OPS[@]}" tasks list 2>/dev/null | grep -Eq "^$1 +$2 "; }
at_least() { [ "$(stats "$1" "$2")" -ge "$3" ]; }

start
CHECKS=$((CHECKS + 1))
wait_for 20 has_version addition 1.0.0 && pass "the first poll stores the registry's task" ||
  fail "addition 1.0.0 was not stored"
grep -q "following registry team ($REG/index.json) every 1s" "$WORK/serve.jsonl" &&
  pass "the log says which registry is followed" || fail "no 'following registry' line"
CHECKS=$((CHECKS + 1))
wait_for 20 at_least /index.json 304 2 && pass "later polls of the unchanged index are 304s" ||
  fail "no 304 for the index: $(curl -s "$REG/__stats")"
expect_eq "$(stats /addition-1.0.0.zip 200)" 1 "the zip was downloaded once"

# A new version published while serve runs.
sed -i 's/"version": "1.0.0"/"version": "1.1.0"/' "$PUB/addition/metadata.json"
"$RATCHET_BIN" registry serve-index "$PUB" >/dev/null || fail "serve-index of 1.1.0"
# The log first: a CLI command (has_version's `tasks list`) syncs the registry from the cache
# serve downloads into, so polling with it could store 1.1.0 before serve's own poll does.
CHECKS=$((CHECKS + 1))
wait_for 20 grep -q "registry team: stored task addition 1.1.0" "$WORK/serve.jsonl" &&
  pass "the log says what was stored" || fail "no 'stored task addition 1.1.0' in the log"
CHECKS=$((CHECKS + 1))
has_version addition 1.1.0 && pass "the new version is stored within the interval" ||
  fail "addition 1.1.0 was not stored"
run "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 2, "num2": 3}' --wait --json
expect_out_contains '"sum": 5' "a job runs the registry's task"

# The registry goes away: the failure is logged, the tasks stay; it comes back on the same
# port (a new server: its counters start at 0) and is followed again without downloads.
stop_registry
CHECKS=$((CHECKS + 1))
wait_for 20 grep -q "registry team: cannot fetch the index $REG/index.json" "$WORK/serve.jsonl" &&
  pass "an unreachable registry is logged" || fail "no 'cannot fetch' in the log"
run "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 2, "num2": 3}' --wait --json
expect_out_contains '"sum": 5' "its task still runs"
start_registry "$PUB" "$REG_PORT"
CHECKS=$((CHECKS + 1))
wait_for 20 at_least /index.json 304 1 && pass "the registry back is a 304" || fail "no 304"
stop_within 15

# A restart downloads no zip again.
start
CHECKS=$((CHECKS + 1))
N304=$(stats /index.json 304)
wait_for 20 at_least /index.json 304 $((N304 + 1)) && pass "after a restart the index is a 304" ||
  fail "no 304 after the restart"
expect_eq "$(stats /addition-1.0.0.zip 200)" 0 "1.0.0's zip is not downloaded again"
expect_eq "$(stats /addition-1.1.0.zip 200)" 0 "1.1.0's zip is not downloaded again"

# A stop while a fetch hangs is prompt: well within the fetch's 30 s timeout (10 s allows for
# a loaded CI machine; it takes well under a second here).
STARTED=$(stats /index.json started)
fault /index.json hang
CHECKS=$((CHECKS + 1))
wait_for 20 at_least /index.json started $((STARTED + 1)) && pass "a fetch is under way" ||
  fail "no fetch started"
stop_within 10
grep -q '"level":"error".*registry team' "$WORK/serve.jsonl" &&
  fail "an abandoned fetch was logged as an error" || pass "an abandoned fetch is not an error"
finish
