#!/usr/bin/env bash
# bench_http.sh - the HTTP front end under load (issue 8, point 10): wrk on loopback against
# `ratchet serve` (the http and api-rest plugins, the sample tasks, SQLite) for GET /health and
# a synchronous POST /api/v1/tasks/addition/execute, beside the baseline measured in the same
# run: bench_http_bare, a bare libmicrohttpd server answering "ok" with the http plugin's
# daemon flags and the same thread-pool size. The three targets are measured in turn, ROUNDS
# times (interleaved, so machine noise hits all of them); the table gives each round and then
# the median, with the spread of requests/s. Beside the wrk figures, the server's CPU time per
# request (serve with its workers; the bare server) shows the cost when other load on the
# machine blurs requests/s.
# Targets on 2 cores: /health >= 60 % of the bare server's requests/s; execute >= 3,000/s with
# p99 < 20 ms. Speed never fails the run; a wrong answer does (a status other than 200, a
# wrong output, a non-2xx answer under load, fewer jobs stored than execute requests answered).
#
# Usage: bench_http.sh [--smoke] [BUILD_DIR]
#   BUILD_DIR holds the ratchet binary and tests/bench/bench_http_bare; without it, the env
#   RATCHET_BIN and BENCH_HTTP_BARE name them. --smoke: 1 s runs, one round (the CTest run).
#   Env: RATCHET_SOURCE_DIR (the sample tasks), BENCH_HTTP_DURATION (5s), BENCH_HTTP_ROUNDS (3),
#   BENCH_HTTP_CONNECTIONS (32), BENCH_HTTP_THREADS (pool size of both servers; nproc),
#   BENCH_HTTP_ACCESS_LOG (true: the http plugin logs a line per request, as by default).
# Exit 77 (skipped) when wrk or curl is not installed.
set -euo pipefail
duration=${BENCH_HTTP_DURATION:-5s}
rounds=${BENCH_HTTP_ROUNDS:-3}
smoke=0
if [ "${1:-}" = "--smoke" ]; then smoke=1; duration=1s; rounds=1; shift; fi
if [ -n "${1:-}" ]; then
  R=$1/ratchet
  [ -x "$R" ] || R=$1/host/ratchet
  bare=$1/tests/bench/bench_http_bare
else
  R=${RATCHET_BIN:?give BUILD_DIR or set RATCHET_BIN}
  bare=${BENCH_HTTP_BARE:?give BUILD_DIR or set BENCH_HTTP_BARE}
fi
src=${RATCHET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
conns=${BENCH_HTTP_CONNECTIONS:-32}
threads=${BENCH_HTTP_THREADS:-$(nproc)}
for tool in wrk curl python3; do
  command -v "$tool" >/dev/null || { echo "bench_http: $tool is not installed (apt-get install $tool): skipped" >&2; exit 77; }
done
[ -x "$R" ] || { echo "bench_http: no ratchet binary at $R" >&2; exit 1; }
[ -x "$bare" ] || { echo "bench_http: no bench_http_bare at $bare" >&2; exit 1; }

work=$(mktemp -d)
bare_pid=""
serve_pid=""
cleanup() {
  [ -n "$bare_pid" ] && kill -9 "$bare_pid" 2>/dev/null
  [ -n "$serve_pid" ] && kill -9 "$serve_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "bench_http: $*" >&2; exit 1; }

# until DEADLINE_S CMD...: run CMD every 50 ms until it succeeds (the condition) or the
# deadline passes (status 1).
until_ok() {
  local end=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.05
  done
}

# ---- the baseline -------------------------------------------------------------------------
"$bare" --threads "$threads" >"$work/bare.port" 2>"$work/bare.err" &
bare_pid=$!
until_ok 10 grep -q '^[0-9]' "$work/bare.port" || fail "bench_http_bare did not start: $(cat "$work/bare.err")"
bare_url="http://127.0.0.1:$(head -1 "$work/bare.port")/"
[ "$(curl -s "$bare_url")" = ok ] || fail "bench_http_bare does not answer ok"

# ---- ratchet serve ------------------------------------------------------------------------
# The console logger at info: the `listening on` line and the access log go to serve.err,
# as they would in production (the access log's cost is part of the measurement).
cat >"$work/r.yaml" <<YAML
engine:
  workers: 2
logging:
  level: info
instances:
  - name: console
    plugin: logger-console
    options:
      level: info
      color: never
  - name: http
    plugin: http
    options:
      listen: 127.0.0.1:0
      threads: $threads
      rate_limit: 0
      access_log: ${BENCH_HTTP_ACCESS_LOG:-true}
  - name: rest
    plugin: api-rest
YAML
OPS=("$R" --config "$work/r.yaml" --data-dir "$work/data")
"${OPS[@]}" --tasks "$src/sample" serve --listen 127.0.0.1:0 2>"$work/serve.err" &
serve_pid=$!
listening() {
  kill -0 "$serve_pid" 2>/dev/null || fail "ratchet serve exited: $(tail -5 "$work/serve.err")"
  grep -q 'listening on http://127\.0\.0\.1:[0-9]' "$work/serve.err"
}
until_ok 30 listening || fail "ratchet serve never logged 'listening on': $(tail -5 "$work/serve.err")"
port=$(grep -o 'listening on http://127\.0\.0\.1:[0-9]*' "$work/serve.err" | head -1 | sed 's/.*://')
base="http://127.0.0.1:$port"
body='{"input":{"num1":1,"num2":2}}'

code=$(curl -s -o "$work/health.json" -w '%{http_code}' "$base/health")
[ "$code" = 200 ] || fail "GET /health answered $code: $(cat "$work/health.json")"
code=$(curl -s -o "$work/exec.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "$body" "$base/api/v1/tasks/addition/execute")
[ "$code" = 200 ] || fail "POST /api/v1/tasks/addition/execute answered $code: $(cat "$work/exec.json")"
# The output may sit at the top or in the {data} envelope; find {"sum": 3} wherever it is.
python3 - "$work/exec.json" <<'PY' || fail "execute did not answer the output {\"sum\": 3}: $(cat "$work/exec.json")"
import json, sys
def has(v):
    if isinstance(v, dict):
        return v.get("output") == {"sum": 3} or any(has(x) for x in v.values())
    return isinstance(v, list) and any(has(x) for x in v)
sys.exit(0 if has(json.load(open(sys.argv[1]))) else 1)
PY

cat >"$work/execute.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA

# ---- the runs -----------------------------------------------------------------------------
# cpu_ticks PID: CPU time (user + system, in clock ticks) used so far by PID, then by its
# child processes (serve's workers). Per request, it is a figure that other load on the
# machine disturbs far less than requests/s.
tck=$(getconf CLK_TCK)
cpu_ticks() {
  local t=0 c=0 p f
  read -r -a f 2>/dev/null <"/proc/$1/stat" && t=$((f[13] + f[14]))
  for p in $(pgrep -P "$1" || true); do
    read -r -a f 2>/dev/null <"/proc/$p/stat" || continue
    c=$((c + f[13] + f[14]))
  done
  echo "$t $c"
}
# run TARGET PID URL [LUA]: one wrk run against the server PID; appends "TARGET ROUND RPS
# P50_MS P99_MS REQUESTS ERRORS SERVER_CPU_US WORKERS_CPU_US" (CPU per request) to
# results.txt. Any non-2xx answer is a wrong result.
run() {
  local out c0 c1
  read -r -a c0 <<<"$(cpu_ticks "$2")"
  out=$(wrk -t2 -c"$conns" -d"$duration" --latency ${4:+-s "$4"} "$3" 2>&1) || fail "wrk failed on $3: $out"
  read -r -a c1 <<<"$(cpu_ticks "$2")"
  local non2xx
  non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' <<<"$out")
  [ -z "$non2xx" ] || fail "$1: $non2xx non-2xx answers under load (wrk on $3)"
  awk -v t="$1" -v r="$round" -v cs=$((c1[0] - c0[0])) -v cw=$((c1[1] - c0[1])) -v tck="$tck" '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /requests in/ { n = $1 }
    /Requests\/sec:/ { rps = $2 }
    /Socket errors:/ { gsub(",", ""); e = $4 + $6 + $8 + $10 }
    function us(ticks) { return n ? ticks * 1e6 / tck / n : 0 }
    END { printf "%s %d %.0f %.3f %.3f %d %d %.1f %.1f\n", t, r, rps, p50, p99, n, e + 0, us(cs), us(cw) }' <<<"$out" >>"$work/results.txt"
}
: >"$work/results.txt"
load_before=$(cut -d' ' -f1 /proc/loadavg)
for ((round = 1; round <= rounds; round++)); do
  run bare "$bare_pid" "$bare_url"
  run health "$serve_pid" "$base/health"
  run execute "$serve_pid" "$base/api/v1/tasks/addition/execute" "$work/execute.lua"
done
load_after=$(cut -d' ' -f1 /proc/loadavg)

# ---- persisted jobs -----------------------------------------------------------------------
# Every answered execute is a job (and an execution) in storage; requests still in flight
# when wrk stopped may add up to one per connection and round.
count() { "${OPS[@]}" "$@" --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
answered=$(awk '$1 == "execute" {n += $6} END {print n + 1}' "$work/results.txt") # + the curl check
settled() { [ "$(count jobs list --task addition)" -eq "$(count jobs list --task addition --status completed)" ]; }
until_ok 30 settled || true
jobs_total=$(count jobs list --task addition)
jobs_done=$(count jobs list --task addition --status completed)
execs=$(count executions list --task addition)

kill -TERM "$serve_pid"
serve_rc=0
wait "$serve_pid" || serve_rc=$?
serve_pid=""
kill -TERM "$bare_pid"
wait "$bare_pid" || true
bare_pid=""

# ---- the table ----------------------------------------------------------------------------
python3 - "$work/results.txt" "$duration" "$rounds" "$conns" "$threads" "$smoke" \
  "$load_before" "$load_after" <<'PY'
import statistics, sys
path, duration, rounds, conns, threads, smoke, load0, load1 = sys.argv[1:]
rows = [l.split() for l in open(path)]
names = {"bare": "bare libmicrohttpd  GET /",
         "health": "ratchet  GET /health",
         "execute": "ratchet  POST /api/v1/tasks/addition/execute"}
print(f"HTTP on loopback: wrk -t2 -c{conns} -d{duration} --latency, {rounds} round(s) interleaved; "
      f"thread pool {threads} in both servers; 2 workers; "
      f"machine load (1-min average) {load0} before, {load1} after (a busy machine blurs req/s)")
if smoke == "1":
    print("(smoke run: 1 s per target, the figures mean nothing)")
print(f"{'target':46} {'round':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9} "
      f"{'sock err':>8} {'CPU us/req: server':>18} {'workers':>8}")
for t, r, rps, p50, p99, n, e, cs, cw in rows:
    print(f"{names[t]:46} {r:>5} {float(rps):9.0f} {float(p50):8.2f} {float(p99):8.2f} {n:>9} "
          f"{e:>8} {float(cs):18.1f} {float(cw):8.1f}")
med = {}
for t in names:
    rs = [r for r in rows if r[0] == t]
    v = [float(r[2]) for r in rs]
    med[t] = (statistics.median(v), min(v), max(v),
              statistics.median(float(r[3]) for r in rs), statistics.median(float(r[4]) for r in rs),
              statistics.median(float(r[7]) for r in rs), statistics.median(float(r[8]) for r in rs))
print()
print(f"{'median of the rounds':46} {'req/s':>9} {'(min..max)':>17} {'p50 ms':>8} {'p99 ms':>8} "
      f"{'CPU us/req: server':>18} {'workers':>8}")
for t, (m, lo, hi, p50, p99, cs, cw) in med.items():
    print(f"{names[t]:46} {m:9.0f} {f'({lo:.0f}..{hi:.0f})':>17} {p50:8.2f} {p99:8.2f} "
          f"{cs:18.1f} {cw:8.1f}")
ratio = med["health"][0] / med["bare"][0] if med["bare"][0] else 0
ex = med["execute"]
print()
cpu_ratio = med["bare"][5] / med["health"][5] if med["health"][5] else 0  # workers idle
print(f"/health: {ratio * 100:.0f} % of the bare server's requests/s (target >= 60 %): "
      + ("met" if ratio >= 0.60 else "MISSED")
      + f"; by server CPU per request {cpu_ratio * 100:.0f} %")
print(f"execute: {ex[0]:.0f}/s, p99 {ex[4]:.2f} ms (target >= 3000/s with p99 < 20 ms): "
      + ("met" if ex[0] >= 3000 and ex[4] < 20 else "MISSED"))
PY
echo "persisted: $answered execute requests answered; addition jobs stored $jobs_total (completed $jobs_done), executions $execs"
[ "$serve_rc" -eq 0 ] || echo "note: ratchet serve exited $serve_rc on SIGTERM" >&2
[ "$jobs_total" -ge "$answered" ] || fail "only $jobs_total jobs stored for $answered answered execute requests"
[ "$execs" -ge "$answered" ] || fail "only $execs executions stored for $answered answered execute requests"
