#!/usr/bin/env bash
# The web UI in a real browser: playwright-core (npm, fetched into .cache/npm-webui) drives
# Debian's Chromium against `ratchet serve` on loopback (http with auth: api_key, api-rest,
# web-ui at /ui/), with a throwaway data directory, the sample tasks and the test tasks in
# tests/webui/tasks. Usage: run.sh SUITE, where SUITE is flows, a11y, perf or open (SUITE.mjs holds
# the checks; their ok:/FAIL: lines count here). Screenshots go to
# $RATCHET_BUILD_DIR/webui-screenshots/. Skips (exit 77) when Chromium, Node or the npm
# packages cannot be had.
SUITE=${1:?usage: run.sh flows|a11y|perf|open}
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
TEST_NAME=webui.$SUITE
HERE=$RATCHET_SOURCE_DIR/tests/webui
CACHE=${RATCHET_WEBUI_NPM_CACHE:-$RATCHET_SOURCE_DIR/.cache/npm-webui}
PACKAGES=(playwright-core@1.65.2 axe-core@4.14.1)
CHROMIUM=${RATCHET_CHROMIUM:-/usr/bin/chromium}
SHOTS=${RATCHET_BUILD_DIR:-$WORK}/webui-screenshots

if [ ! -x "$CHROMIUM" ]; then
  echo "SKIP: no Chromium at $CHROMIUM (apt-get install chromium, or .ci/install-deps.sh --test)"
  exit 77
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: node and npm are needed to drive the browser (apt-get install nodejs npm)"
  exit 77
fi
installed() { # NAME@VERSION: is exactly that version in the cache?
  local name=${1%@*} version=${1##*@}
  [ "$(node -p "require('$CACHE/node_modules/$name/package.json').version" 2>/dev/null)" = "$version" ]
}
missing=0
for p in "${PACKAGES[@]}"; do installed "$p" || missing=1; done
if [ "$missing" = 1 ] &&
   ! npm install --prefix "$CACHE" --no-audit --no-fund "${PACKAGES[@]}" >"$WORK/npm.log" 2>&1; then
  echo "SKIP: cannot install ${PACKAGES[*]} from the npm registry:"; tail -5 "$WORK/npm.log"
  exit 77
fi

# ---- the server: keys first (same data directory), then serve on a free port ------------------
# The open suite is the README's default: a loopback listener without keys (auth: none).
AUTH=api_key
[ "$SUITE" = open ] && AUTH=none
cat >"$WORK/webui.yaml" <<YAML
engine:
  workers: 2
  max_retries: 0
instances:
  - name: file
    plugin: logger-file
    options: {path: serve.jsonl, level: info}
  - name: http
    plugin: http
    options: {listen: "127.0.0.1:0", auth: $AUTH}
  - name: api
    plugin: api-rest
  - name: ui
    plugin: web-ui
YAML
OPS=("$RATCHET_BIN" --config "$WORK/webui.yaml" --data-dir "$WORK/data"
     --tasks "$RATCHET_SOURCE_DIR/sample" --tasks "$HERE/tasks")
key() { # NAME SCOPE: create a key and print its secret
  "${OPS[@]}" keys create --name "$1" --scope "$2" --json | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).key))'
}
export WEBUI_ADMIN_KEY WEBUI_ADMIN2_KEY WEBUI_READ_KEY WEBUI_WRITE_KEY
WEBUI_ADMIN_KEY=$(key admin admin) && WEBUI_ADMIN2_KEY=$(key second-admin admin) &&
  WEBUI_READ_KEY=$(key viewer read) && WEBUI_WRITE_KEY=$(key operator write) ||
  { fail "ratchet keys create failed"; finish; }

if [ "$SUITE" = perf ]; then
  # 100,000 jobs queued for tomorrow (so the workers leave them alone), in one transaction.
  node -e 'for (let i = 0; i < 100000; i++) console.log(JSON.stringify({num1: i, num2: 1}))' \
    >"$WORK/batch.jsonl"
  run "${OPS[@]}" jobs submit --task addition --batch "$WORK/batch.jsonl" --at +24h
  expect_out_contains "100000 jobs queued" "100,000 jobs submitted with jobs submit --batch"
fi

"${OPS[@]}" serve 2>>"$WORK/serve.err" &
SERVE=$!
cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
if ! wait_for 60 grep -q "ratchet serve: ready" "$WORK/serve.jsonl"; then
  fail "serve did not start"; cat "$WORK/serve.err" >&2; finish
fi
URL=$(grep -o 'listening on http://[^"]*' "$WORK/serve.jsonl" | head -1 | sed 's/listening on //')
mkdir -p "$SHOTS"

# ---- the browser checks -----------------------------------------------------------------------
export WEBUI_URL=$URL WEBUI_SHOTS=$SHOTS WEBUI_NPM_CACHE=$CACHE WEBUI_CHROMIUM=$CHROMIUM
export WEBUI_CONFIG=$WORK/webui.yaml WEBUI_DATA=$WORK/data WEBUI_TASKS=$HERE/tasks
LOG=$WORK/$SUITE.log
timeout 540 node "$HERE/$SUITE.mjs" >"$LOG" 2>"$WORK/$SUITE.err" && RC=0 || RC=$?
cat "$LOG"
CHECKS=$((CHECKS + $(grep -c '^ok: ' "$LOG") + $(grep -c '^FAIL: ' "$LOG")))
FAILURES=$((FAILURES + $(grep -c '^FAIL: ' "$LOG")))
if [ "$RC" -ne 0 ] && ! grep -q '^FAIL: ' "$LOG"; then
  fail "the $SUITE checks stopped (exit $RC)"; tail -30 "$WORK/$SUITE.err" >&2
elif [ -s "$WORK/$SUITE.err" ]; then
  tail -30 "$WORK/$SUITE.err" >&2
fi

kill -TERM "$SERVE"; wait "$SERVE" && RC=0 || RC=$?
OUT="" ERR=$(tail -5 "$WORK/serve.err"); expect_rc 0 "serve stops cleanly"
finish
