# tests/integration/lib.sh - helpers for integration tests (sourced).
# Each test runs the real binary ($RATCHET_BIN) and asserts on exit status and messages.
set -u
: "${RATCHET_BIN:?RATCHET_BIN must point at the ratchet binary}"
TEST_NAME=$(basename "$0" .sh)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ratchet-$TEST_NAME.XXXXXX")
FAILURES=0
CHECKS=0
cleanup_hooks=()
on_exit() {
  local h
  for h in "${cleanup_hooks[@]+"${cleanup_hooks[@]}"}"; do eval "$h" || true; done
  # A failed test shows why the server misbehaved before its files go.
  if [ "$FAILURES" -gt 0 ] && [ -s "$WORK/serve.err" ]; then
    echo "--- last lines of serve's stderr ---" >&2
    tail -n 40 "$WORK/serve.err" >&2
  fi
  rm -rf "$WORK"
}
trap on_exit EXIT

fail() { echo "FAIL: $*" >&2; FAILURES=$((FAILURES + 1)); }
pass() { echo "ok: $*"; }

# run CMD...: runs the command, capturing $OUT, $ERR and $RC.
run() {
  OUT=$("$@" 2>"$WORK/stderr") && RC=0 || RC=$?
  ERR=$(cat "$WORK/stderr")
}

# expect_rc N DESCRIPTION
expect_rc() {
  CHECKS=$((CHECKS + 1))
  if [ "$RC" -eq "$1" ]; then pass "$2 (exit $RC)"; else
    fail "$2: expected exit $1, got $RC"; echo "  stdout: $OUT" >&2; echo "  stderr: $ERR" >&2; fi
}
# expect_err_contains TEXT DESCRIPTION: stderr contains TEXT (fixed string)
expect_err_contains() {
  CHECKS=$((CHECKS + 1))
  if grep -qF -- "$1" <<<"$ERR"; then pass "$2"; else
    fail "$2: stderr lacks '$1'"; echo "  stderr: $ERR" >&2; fi
}
expect_out_contains() {
  CHECKS=$((CHECKS + 1))
  if grep -qF -- "$1" <<<"$OUT"; then pass "$2"; else
    fail "$2: stdout lacks '$1'"; echo "  stdout: $OUT" >&2; fi
}
expect_out_lacks() {
  CHECKS=$((CHECKS + 1))
  if grep -qF -- "$1" <<<"$OUT"; then fail "$2: stdout has '$1'"; echo "  stdout: $OUT" >&2; else
    pass "$2"; fi
}

# wait_for SECONDS CMD...: poll CMD (every 20 ms) until it succeeds or the deadline passes.
wait_for() {
  local deadline=$(( $(date +%s%N) + $1 * 1000000000 )); shift
  while ! "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    sleep 0.02
  done
}

# start_serve EXECUTION_YAML: a server on $WORK/data with the tasks in $WORK/tasks, one worker,
# no retries, the given `execution:` section (indented lines) and a JSON log in
# $WORK/serve.jsonl; waits for it to be ready. Sets OPS (the ratchet command and flags the
# operator commands take) and SERVE (its pid, killed at exit).
start_serve() {
  cat >"$WORK/r.yaml" <<YAML
execution:
$1
engine:
  workers: 1
  max_retries: 0
instances:
  - name: file
    plugin: logger-file
    options: {path: serve.jsonl, level: info}
YAML
  OPS=("$RATCHET_BIN" --config "$WORK/r.yaml" --data-dir "$WORK/data" --tasks "$WORK/tasks")
  "${OPS[@]}" serve --no-api 2>>"$WORK/serve.err" &
  SERVE=$!
  cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
  wait_for 20 grep -q "ratchet serve: ready" "$WORK/serve.jsonl" || fail "serve did not start"
}

# serve_listening CONFIG: `ratchet serve` with that file (its instances: a logger-file writing
# serve.jsonl next to it, the http plugin on 127.0.0.1:0 and front ends), the tasks in
# $WORK/tasks and the data in $WORK/data; waits until it listens and is ready. Sets OPS (the
# operator commands' ratchet and flags), SERVE (its pid, killed at exit) and BASE
# (http://127.0.0.1:PORT). Returns 1 (after a failure) when it does not come up.
serve_address() {
  local line
  line=$(grep -ho 'listening on http://127.0.0.1:[0-9]*' "$WORK/serve.jsonl" 2>/dev/null | head -1)
  [ -n "$line" ] && echo "${line#listening on }"
}
serve_listening() {
  OPS=("$RATCHET_BIN" --config "$1" --data-dir "$WORK/data" --tasks "$WORK/tasks")
  "${OPS[@]}" serve 2>>"$WORK/serve.err" &
  SERVE=$!
  cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
  wait_for 20 serve_address || { fail "serve is not listening"; return 1; }
  BASE=$(serve_address)
  wait_for 20 curl -sf "$BASE/ready" || { fail "serve is not ready"; return 1; }
}

# finish: print the summary line and exit non-zero on any failure.
finish() {
  echo "$TEST_NAME: $CHECKS checks, $FAILURES failed"
  [ "$FAILURES" -eq 0 ]
  exit $?
}
