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

# mk NAME 'main.js': a task folder $WORK/tasks/NAME (version 1.0.0) with that main.js.
mk() {
  mkdir -p "$WORK/tasks/$1"
  printf '{"name": "%s", "version": "1.0.0"}\n' "$1" >"$WORK/tasks/$1/metadata.json"
  printf '%s\n' "$2" >"$WORK/tasks/$1/main.js"
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

# listen_address FILE...: "http://127.0.0.1:PORT" from the first "listening on" line in the
# FILEs (a JSON log or a console log); fails while there is none.
listen_address() {
  local line
  line=$(grep -ho 'listening on http://127.0.0.1:[0-9]*' "$@" 2>/dev/null | head -1)
  [ -n "$line" ] && echo "${line#listening on }"
}

# serve_bg LOG CMD...: run CMD (a `ratchet ... serve` that listens on 127.0.0.1:0) in the
# background, its stderr appended to $WORK/serve.err, killed at exit; wait until LOG (the file
# its logger writes: $WORK/serve.err for logger-console) says where it listens and GET
# $SERVE_READY (default /ready, api-rest's; empty: not asked) answers. Sets SERVE (its pid),
# BASE (http://127.0.0.1:PORT) and PORT. Returns 1 (after a failure) when it does not come up.
serve_bg() {
  local log=$1; shift
  "$@" 2>>"$WORK/serve.err" &
  SERVE=$!
  cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
  wait_for 30 listen_address "$log" || { fail "serve is not listening"; return 1; }
  BASE=$(listen_address "$log")
  PORT=${BASE##*:}
  [ -z "${SERVE_READY-/ready}" ] || wait_for 20 curl -sf "$BASE${SERVE_READY-/ready}" ||
    { fail "serve is not ready"; return 1; }
}

# rest_instances: the `instances:` section that serve_listening expects, for a test's
# configuration heredoc ("$(rest_instances)", further instances after it): a logger-file
# writing serve.jsonl (level info), the http plugin on 127.0.0.1:0 and api-rest.
rest_instances() {
  cat <<'YAML'
instances:
  - name: file
    plugin: logger-file
    options: {path: serve.jsonl, level: info}
  - name: http
    plugin: http
    options: {listen: "127.0.0.1:0"}
  - name: api
    plugin: api-rest
YAML
}

# serve_listening CONFIG: `ratchet serve` with that file (its instances: a logger-file writing
# serve.jsonl next to it, the http plugin on 127.0.0.1:0 and front ends), the tasks in
# $WORK/tasks and the data in $WORK/data, started with serve_bg. Sets OPS (the operator
# commands' ratchet and flags), SERVE, BASE and PORT. Returns 1 (after a failure) when it does
# not come up.
serve_listening() {
  OPS=("$RATCHET_BIN" --config "$1" --data-dir "$WORK/data" --tasks "$WORK/tasks")
  serve_bg "$WORK/serve.jsonl" "${OPS[@]}" serve
}

# readme_block MARKER: print the ```sh block that follows the line "<!-- readme-test: MARKER -->"
# in README.md, with its 127.0.0.1:8080 replaced by the test server's 127.0.0.1:$PORT.
readme_block() {
  awk -v m="<!-- readme-test: $1 -->" 'index($0, m) {on = 1; next} on && /^```sh/ {inblock = 1; next}
       inblock && /^```/ {exit} inblock {print}' "$RATCHET_SOURCE_DIR/README.md" |
    sed -e "s/127\.0\.0\.1:8080/127.0.0.1:$PORT/g"
}

# readme_run_curls MARKER MIN: run README.md's block MARKER (readme_block) as written, but with
# curl told to fail on an HTTP error (-sSf), under bash -e -o pipefail; sets OUT, ERR and RC.
# One check first that the block holds at least MIN curl commands (the test ends when not).
readme_run_curls() {
  readme_block "$1" | sed -e 's/curl -s /curl -sSf /; s/curl -sN /curl -sSfN /' >"$WORK/$1.sh"
  CHECKS=$((CHECKS + 1))
  if [ "$(grep -c curl "$WORK/$1.sh")" -ge "$2" ]; then pass "README block '$1' found"; else
    fail "README block '$1' not found or too short"; finish; fi
  run bash -e -o pipefail "$WORK/$1.sh"
}

# finish: print the summary line and exit non-zero on any failure.
finish() {
  echo "$TEST_NAME: $CHECKS checks, $FAILURES failed"
  [ "$FAILURES" -eq 0 ]
  exit $?
}
