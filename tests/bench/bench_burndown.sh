#!/usr/bin/env bash
# bench_burndown.sh - the engine end to end: enqueue rate (`jobs submit --batch`), burn-down
# rate (`ratchet serve`, 2 workers, the addition task) and enqueue-to-start latency with idle
# workers (p50, p99 from the jobs' queuedAt/startedAt). The storage-level baseline (bare SQLite
# insert + update of the same rows) is printed by bench_queue in the same run.
# Targets on 2 cores: burn-down >= 5,000 jobs/s; enqueue-to-start p50 < 2 ms.
#
# Usage: bench_burndown.sh [--quick]   (env RATCHET_BIN, RATCHET_SOURCE_DIR, RATCHET_BUILD_DIR)
set -euo pipefail
jobs=10000
lat=200
[ "${1:-}" = "--quick" ] && { jobs=300; lat=20; }
R=${RATCHET_BIN:?}
src=${RATCHET_SOURCE_DIR:?}
work=$(mktemp -d)
serve=""
trap '[ -n "$serve" ] && kill -9 $serve 2>/dev/null; rm -rf "$work"' EXIT
cat >"$work/r.yaml" <<YAML
engine:
  workers: 2
instances: []
YAML
OPS=("$R" --config "$work/r.yaml" --data-dir "$work/data" --tasks "$src/sample/addition")
ns() { date +%s%N; }
count_completed() { "${OPS[@]}" jobs list --status completed --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
seq 1 "$jobs" | awk '{printf "{\"num1\": %d, \"num2\": 1}\n", $1}' >"$work/batch.jsonl"
a=$(ns)
"${OPS[@]}" jobs submit --task addition --batch "$work/batch.jsonl" >/dev/null
b=$(ns)
enqueue=$(awk -v n="$jobs" -v t=$((b - a)) 'BEGIN {printf "%.0f", n / (t / 1e9)}')

a=$(ns)
"${OPS[@]}" serve --no-api 2>"$work/serve.err" &
serve=$!
# `jobs wait` sleeps on the storage's wake-ups: next to no CPU taken from what is measured.
"${OPS[@]}" jobs wait --timeout 10m >/dev/null || { echo "serve: $(tail -5 "$work/serve.err")" >&2; exit 1; }
b=$(ns)
[ "$(count_completed)" -eq "$jobs" ] || { echo "only $(count_completed) of $jobs completed" >&2; exit 1; }
burndown=$(awk -v n="$jobs" -v t=$((b - a)) 'BEGIN {printf "%.0f", n / (t / 1e9)}')

# Latency: one job at a time into idle workers.
for ((i = 0; i < lat; i++)); do
  "${OPS[@]}" jobs submit --task addition --input-json "{\"num1\": $i, \"num2\": 0}" --wait >/dev/null 2>&1
done
latency=$("${OPS[@]}" jobs list --status completed --limit "$lat" --json | python3 -c '
import json, sys, datetime
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1000
d = sorted(t(j["startedAt"]) - t(j["queuedAt"]) for j in json.load(sys.stdin)["items"])
print("p50 %.1f ms, p99 %.1f ms" % (d[len(d) // 2], d[min(len(d) - 1, int(len(d) * 0.99))]))')
kill -TERM "$serve"
wait "$serve" || true
serve=""
# The baseline, measured in this run: storage-sqlite against a bare SQLite insert + update loop
# for the same rows (bench_queue).
bq=${RATCHET_BUILD_DIR:-$(dirname "$R")}/tests/bench/bench_queue
if [ -x "$bq" ]; then
  if [ "$jobs" -lt 10000 ]; then "$bq" --quick; else "$bq"; fi
fi
echo "engine ($jobs jobs, 2 workers): enqueue ${enqueue} jobs/s; burn-down ${burndown} jobs/s (target >= 5000); enqueue-to-start ${latency} (target p50 < 2 ms)"
