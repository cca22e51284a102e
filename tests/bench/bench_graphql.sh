#!/usr/bin/env bash
# bench_graphql.sh - the GraphQL front end under load (issue 18, point 7), beside the REST
# equivalents measured in the same run on the same server: wrk on loopback against
#   list:    POST /graphql {tasks {items {name}}}         vs  GET /api/v1/tasks
#   execute: POST /graphql executeTaskSync (addition)      vs  POST /api/v1/tasks/addition/execute
# interleaved for several rounds; the table shows each round, then the medians and
# GraphQL's share of REST's requests/s (target: at least 70 % for the same data).
# Every answer is checked once before the runs; a non-2xx answer under load fails the run.
#
# Usage: bench_graphql.sh [--smoke] [BUILD_DIR]   (env RATCHET_BIN, RATCHET_SOURCE_DIR)
# Exit 77 (skipped) when wrk or curl is not installed.
set -euo pipefail
smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; shift; fi
build=${1:-}
R=${RATCHET_BIN:-${build:+$build/ratchet}}
src=${RATCHET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
duration=5s rounds=3 conns=32
[ "$smoke" = 1 ] && { duration=1s; rounds=1; }
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench_graphql: $tool is not installed: skipped" >&2; exit 77; }
done
[ -n "$R" ] && [ -x "$R" ] || { echo "bench_graphql: give the build folder or RATCHET_BIN" >&2; exit 1; }

work=$(mktemp -d)
serve_pid=""
trap '[ -n "$serve_pid" ] && kill -9 "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
fail() { echo "bench_graphql: $*" >&2; exit 1; }
until_ok() { # until_ok DEADLINE_S CMD...: the condition, checked every 50 ms
  local end=$(($(date +%s) + $1)); shift
  until "$@"; do [ "$(date +%s)" -lt "$end" ] || return 1; sleep 0.05; done
}

# The default front ends (http, api-rest, api-graphql) without the access log's cost
# differing between the two: both go through the same listener.
"$R" --data-dir "$work/data" --tasks "$src/sample" serve --workers 2 --listen 127.0.0.1:0 \
  2>"$work/serve.err" &
serve_pid=$!
listening() {
  kill -0 "$serve_pid" 2>/dev/null || fail "serve exited: $(tail -5 "$work/serve.err")"
  grep -q 'listening on http://127\.0\.0\.1:[0-9]' "$work/serve.err"
}
until_ok 30 listening || fail "serve never logged 'listening on'"
port=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$work/serve.err" | head -1 | sed 's/.*://')
base="http://127.0.0.1:$port"
until_ok 30 curl -sf "$base/ready" >/dev/null || fail "never ready"

list_q='{"query":"{ tasks { items { name } } }"}'
exec_q='{"query":"mutation { executeTaskSync(input: {taskId: \"addition\", inputData: {num1: 1, num2: 2}}) { status output } }"}'
exec_rest='{"input":{"num1":1,"num2":2}}'
gql() { curl -sf -H 'Content-Type: application/json' -d "$1" "$base/graphql"; }
gql "$list_q" | grep -q '"name":"addition"' || fail "the GraphQL list does not name addition"
gql "$exec_q" | grep -q '"output":{"sum":3}' || fail "executeTaskSync did not answer {\"sum\": 3}"
curl -sf "$base/api/v1/tasks" | grep -q '"name":"addition"' || fail "GET /api/v1/tasks does not name addition"
curl -sf -H 'Content-Type: application/json' -d "$exec_rest" "$base/api/v1/tasks/addition/execute" |
  grep -q '"sum":3' || fail "the REST execute did not answer {\"sum\": 3}"

lua() { # lua FILE BODY: a wrk script POSTing BODY as JSON
  printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' \
    "$(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$2")" >"$1"
}
lua "$work/list.lua" "$list_q"
lua "$work/exec.lua" "$exec_q"
lua "$work/rest_exec.lua" "$exec_rest"

# run NAME URL [LUA]: appends "NAME ROUND RPS P50_MS P99_MS" to results.txt.
run() {
  local out non2xx
  out=$(wrk -t2 -c"$conns" -d"$duration" --latency ${3:+-s "$3"} "$2" 2>&1) || fail "wrk failed on $2: $out"
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  [ -z "$non2xx" ] || fail "$1: $non2xx non-2xx answers under load"
  awk -v t="$1" -v r="$round" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } /Requests\/sec:/ { rps = $2 }
    END { printf "%s %d %.0f %.3f %.3f\n", t, r, rps, p50, p99 }' <<<"$out" >>"$work/results.txt"
}
: >"$work/results.txt"
for ((round = 1; round <= rounds; round++)); do
  run rest_list "$base/api/v1/tasks"
  run gql_list "$base/graphql" "$work/list.lua"
  run rest_exec "$base/api/v1/tasks/addition/execute" "$work/rest_exec.lua"
  run gql_exec "$base/graphql" "$work/exec.lua"
done
kill -TERM "$serve_pid"
wait "$serve_pid" || fail "serve did not exit cleanly"
serve_pid=""

python3 - "$work/results.txt" "$duration" "$rounds" "$conns" "$smoke" <<'PY'
import statistics, sys
path, duration, rounds, conns, smoke = sys.argv[1:]
rows = [l.split() for l in open(path)]
names = {"rest_list": "REST     GET /api/v1/tasks", "gql_list": "GraphQL  { tasks { items { name } } }",
         "rest_exec": "REST     POST .../addition/execute", "gql_exec": "GraphQL  executeTaskSync(addition)"}
print(f"GraphQL beside REST on one server: wrk -t2 -c{conns} -d{duration} --latency, "
      f"{rounds} round(s) interleaved; 2 workers")
if smoke == "1":
    print("(smoke run: 1 s per target, the figures mean nothing)")
print(f"{'target':40} {'round':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
for t, r, rps, p50, p99 in rows:
    print(f"{names[t]:40} {r:>5} {float(rps):9.0f} {float(p50):8.2f} {float(p99):8.2f}")
med = {t: (statistics.median(float(r[2]) for r in rows if r[0] == t),
           statistics.median(float(r[4]) for r in rows if r[0] == t)) for t in names}
print()
for what, g, r in (("list", "gql_list", "rest_list"), ("execute", "gql_exec", "rest_exec")):
    share = med[g][0] / med[r][0] if med[r][0] else 0
    print(f"{what}: GraphQL {med[g][0]:.0f}/s (p99 {med[g][1]:.2f} ms), REST {med[r][0]:.0f}/s "
          f"(p99 {med[r][1]:.2f} ms): {share * 100:.0f} % of REST (target >= 70 %): "
          + ("met" if share >= 0.70 else "MISSED"))
PY
