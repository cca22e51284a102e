#!/usr/bin/env bash
# tests/bench/bench_shared_file.sh - a CLI command beside a busy server on one SQLite file.
#
# `ratchet jobs submit` run one after another, each timed whole (process start to exit):
# first with no server (the baseline, measured in the same run), then while `ratchet serve
# --no-api` (2 workers) burns down a queue of BENCH_JOBS jobs, committing claims and finishes
# back to back. Prints p50, p90 and max of each, and the server's burn-down meanwhile. What it
# shows: whether the server's writes leave the other process a turn at the write lock
# (plugins/storage-sqlite/sqlite_turn.c).
#
#   RATCHET_BIN=build/ratchet RATCHET_SOURCE_DIR=. bash tests/bench/bench_shared_file.sh [--quick]
set -euo pipefail
quick=0
[ "${1:-}" = --quick ] && quick=1
src=${RATCHET_SOURCE_DIR:?}
R=${RATCHET_BIN:?}
jobs=${BENCH_JOBS:-60000} submits=${BENCH_SUBMITS:-40}
[ $quick = 1 ] && { jobs=5000; submits=5; }
work=$(mktemp -d)
serve_pid=""
trap '[ -n "$serve_pid" ] && kill -9 "$serve_pid" 2>/dev/null; rm -rf "$work"' EXIT
printf 'engine:\n  workers: 2\ninstances: []\n' >"$work/r.yaml"
OPS=("$R" --config "$work/r.yaml" --storage-url "sqlite:$work/sqlite.db" --tasks "$src/sample/addition")
ns() { date +%s%N; }
completed() {
  "${OPS[@]}" jobs list --status completed --limit 1 --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}

# submit_times FILE: time $submits submits into FILE (ns, one per line).
submit_times() {
  : >"$1"
  for ((i = 0; i < submits; i++)); do
    local a b
    a=$(ns)
    "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 1, "num2": 2}' >/dev/null
    b=$(ns)
    echo $((b - a)) >>"$1"
  done
}
stats() {
  sort -n "$1" | awk '{v[NR] = $1 / 1e6} END {
    printf "p50 %7.1f ms   p90 %7.1f ms   max %7.1f ms", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)], v[NR] }'
}

echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
"${OPS[@]}" jobs list --limit 1 >/dev/null # creates the file: not timed
submit_times "$work/idle"
seq 1 "$jobs" | awk '{printf "{\"num1\": %d, \"num2\": 1}\n", $1}' >"$work/batch.jsonl"
"${OPS[@]}" jobs submit --task addition --batch "$work/batch.jsonl" >/dev/null
before=$(completed)
a=$(ns)
"${OPS[@]}" serve --no-api 2>"$work/serve.err" &
serve_pid=$!
# the server is busy once it has finished its first jobs
until [ "$(completed)" -gt "$before" ]; do
  kill -0 "$serve_pid" 2>/dev/null || { echo "serve exited: $(tail -3 "$work/serve.err")" >&2; exit 1; }
done
submit_times "$work/busy"
left=$(("$jobs" + 2 * submits - $(completed) + before))
"${OPS[@]}" jobs wait --timeout 10m >/dev/null
b=$(ns)
kill -TERM "$serve_pid"
wait "$serve_pid" || true
serve_pid=""
done_all=$(($(completed) - before))
[ "$left" -gt 0 ] || echo "note: the queue ran dry before the last submit; raise BENCH_JOBS" >&2
printf '%-34s %s\n' "jobs submit, no server" "$(stats "$work/idle")"
printf '%-34s %s\n' "jobs submit, server burning down" "$(stats "$work/busy")"
awk -v n="$done_all" -v t=$((b - a)) -v l="$left" 'BEGIN {
  printf "server: %d jobs in %.2f s (%.0f jobs/s), %d still queued after the last submit\n", n, t / 1e9, n / (t / 1e9), l }'
