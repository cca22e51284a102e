#!/usr/bin/env bash
# bench_burndown.sh - the engine end to end, on each storage asked for: enqueue rate (`jobs
# submit --batch`), burn-down rate (`ratchet serve`, 2 workers, the addition task) and
# enqueue-to-start latency with idle workers (p50, p99 from the jobs' queuedAt/startedAt).
# On SQLite also the burn-down at the default worker count (engine.workers unset) and at 1 to 4
# workers (the best of them printed beside the default), and the memory of serve and its
# workers (RSS, and the workers' PSS: bench_queue_rss.sh) after the burn-down and when idle.
# On PostgreSQL (a throwaway cluster, tests/pg_cluster.sh) the burn-down is also run with two
# `serve` hosts on the one database (2 workers each, and 1 each: the one host's two workers
# split over two hosts). The storage-level baseline (bare SQLite insert + update of
# the same rows) is printed by bench_queue in the same run; with both storages, PostgreSQL's
# figures are printed as a ratio of SQLite's from this run.
# Targets on 2 cores: burn-down >= 5,000 jobs/s on SQLite; PostgreSQL >= 70 % of SQLite's;
# enqueue-to-start p50 < 2 ms.
#
# Usage: bench_burndown.sh [--quick] [--storage sqlite|postgres|both]   (default: both when
#        PostgreSQL's server is installed, else sqlite)
#        env RATCHET_BIN, RATCHET_SOURCE_DIR, RATCHET_BUILD_DIR; RATCHET_BENCH_OUT=FILE also
#        appends the figures to FILE as "key value" lines
set -euo pipefail
quick=0 storage=""
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --storage) storage=${2:?--storage needs sqlite, postgres or both}; shift ;;
    *) echo "bench_burndown.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
src=${RATCHET_SOURCE_DIR:?}
if [ -z "$storage" ]; then
  storage=sqlite
  if command -v pg_config >/dev/null || ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    storage=both; fi
fi
case "$storage" in sqlite | postgres | both) ;; *)
  echo "bench_burndown.sh: --storage expects sqlite, postgres or both, got '$storage'" >&2
  exit 2 ;;
esac
# PostgreSQL: run again inside a throwaway cluster.
if [ "$storage" != sqlite ] && [ -z "${RATCHET_PG_URL:-}" ]; then
  args=(--storage "$storage"); [ $quick = 1 ] && args+=(--quick)
  exec bash "$src/tests/pg_cluster.sh" bash "$0" "${args[@]}"
fi
jobs=10000
lat=200
[ $quick = 1 ] && { jobs=300; lat=20; }
R=${RATCHET_BIN:?}
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]+"${pids[@]}"}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
cat >"$work/r.yaml" <<YAML
engine:
  workers: 2
instances: []
YAML
printf 'instances: []\n' >"$work/rd.yaml" # engine.workers at its default
serve_args=() # more arguments of serve (--workers N)
. "$(dirname "$0")/bench_queue_rss.sh"
ns() { date +%s%N; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN {printf "%.0f", n / (t / 1e9)}'; }
count_completed() { "${OPS[@]}" jobs list --status completed --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

# start_hosts N: N `serve` hosts on the storage of OPS (pids appended to `pids`).
start_hosts() {
  for ((h = 1; h <= $1; h++)); do
    "${OPS[@]}" --data-dir "$work/host$h" serve --no-api "${serve_args[@]+"${serve_args[@]}"}" \
      2>"$work/serve$h.err" &
    pids+=($!)
  done
}
stop_hosts() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}

# burn NAME HOSTS: queue $jobs jobs, burn them down on HOSTS hosts; sets enqueue, burndown.
burn() {
  seq 1 "$jobs" | awk -v k="$2" '{printf "{\"num1\": %d, \"num2\": %d}\n", $1, k}' >"$work/batch.jsonl"
  local a b
  a=$(ns)
  "${OPS[@]}" jobs submit --task addition --batch "$work/batch.jsonl" >/dev/null
  b=$(ns)
  enqueue=$(rate "$jobs" $((b - a)))
  local before
  before=$(count_completed)
  a=$(ns)
  start_hosts "$2"
  # `jobs wait` sleeps on the storage's wake-ups: next to no CPU taken from what is measured.
  "${OPS[@]}" jobs wait --timeout 10m >/dev/null || { echo "$1: serve: $(tail -5 "$work/serve1.err")" >&2; exit 1; }
  b=$(ns)
  local done_now
  done_now=$(count_completed)
  [ $((done_now - before)) -eq "$jobs" ] || { echo "$1: only $((done_now - before)) of $jobs completed" >&2; exit 1; }
  burndown=$(rate "$jobs" $((b - a)))
  serve_memory "${pids[0]}" # while its workers are idle again
}

# latency: one job at a time into idle workers (one host running); sets latency.
latency_run() {
  start_hosts 1
  for ((i = 0; i < lat; i++)); do
    "${OPS[@]}" jobs submit --task addition --input-json "{\"num1\": $i, \"num2\": 0}" --wait >/dev/null 2>&1
  done
  # Idle: 3 s without work (the storage gives its caches back after 2 s quiet). Not a wait
  # for anything: the length of the idle spell measured.
  sleep 3
  serve_memory "${pids[0]}"
  latency=$("${OPS[@]}" jobs list --status completed --limit "$lat" --json | python3 -c '
import json, sys, datetime
def t(s): return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp() * 1000
d = sorted(t(j["startedAt"]) - t(j["queuedAt"]) for j in json.load(sys.stdin)["items"])
print("p50 %.1f ms, p99 %.1f ms" % (d[len(d) // 2], d[min(len(d) - 1, int(len(d) * 0.99))]))')
  stop_hosts
}

echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
declare -A fig
if [ "$storage" != postgres ]; then
  OPS=("$R" --config "$work/rd.yaml" --storage-url "sqlite:$work/sqlite.db" --tasks "$src/sample/addition")
  burn sqlite 1
  fig[sqlite_rss_coord]=$mem_coord fig[sqlite_rss_worker]=$mem_worker fig[sqlite_pss_worker]=$mem_worker_pss
  fig[sqlite_default_workers]=$mem_workers
  stop_hosts
  fig[sqlite_enqueue]=$enqueue fig[sqlite_burndown]=$burndown
  # The worker counts from 1 to 2x the cores (4 on 2 cores), each on a queue of $jobs.
  sweep=(1 2 3 4)
  [ $quick = 1 ] && sweep=(1 2)
  # The best of the default's run and the sweep's (the default is one of the counts swept).
  fig[sqlite_best]=$burndown fig[sqlite_best_workers]=${fig[sqlite_default_workers]}
  for w in "${sweep[@]}"; do
    serve_args=(--workers "$w")
    burn "sqlite-$w" 1
    stop_hosts
    fig[sqlite_w$w]=$burndown
    if [ "$burndown" -gt "${fig[sqlite_best]}" ]; then
      fig[sqlite_best]=$burndown fig[sqlite_best_workers]=$w; fi
  done
  serve_args=()
  latency_run
  fig[sqlite_latency]=$latency
  fig[sqlite_idle_coord]=$mem_coord fig[sqlite_idle_worker]=$mem_worker fig[sqlite_idle_pss]=$mem_worker_pss
fi
if [ "$storage" != sqlite ]; then
  OPS=("$R" --config "$work/r.yaml" --storage-url "$RATCHET_PG_URL" --tasks "$src/sample/addition")
  burn postgres 1
  stop_hosts
  fig[pg_enqueue]=$enqueue fig[pg_burndown]=$burndown
  burn postgres2 2
  stop_hosts
  fig[pg2_burndown]=$burndown
  # The same two workers as one host, split over two hosts: what sharing the queue costs.
  serve_args=(--workers 1)
  burn postgres2w1 2
  stop_hosts
  serve_args=()
  fig[pg2w1_burndown]=$burndown
  latency_run
  fig[pg_latency]=$latency
fi

# The baseline, measured in this run: storage-sqlite against a bare SQLite insert + update loop
# for the same rows (bench_queue).
bq=${RATCHET_BUILD_DIR:-$(dirname "$R")}/tests/bench/bench_queue
if [ -x "$bq" ] && [ "$storage" != postgres ]; then
  if [ "$jobs" -lt 10000 ]; then "$bq" --quick; else "$bq"; fi
fi
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.0f %%", 100 * a / b}'; }
if [ -n "${fig[sqlite_burndown]:-}" ]; then
  printf '%-44s %s\n' "sqlite, $jobs jobs, 1 host" "figure"
  printf '%-44s %s\n' "  enqueue (jobs submit --batch)" "${fig[sqlite_enqueue]} jobs/s"
  printf '%-44s %s\n' "  burn-down, default (${fig[sqlite_default_workers]} workers)" "${fig[sqlite_burndown]} jobs/s"
  printf '%-44s %s\n' "  burn-down, best (${fig[sqlite_best_workers]} workers)" "${fig[sqlite_best]} jobs/s"
  printf '%-44s %s\n' "  burn-down by workers (${sweep[*]})" "$(for w in "${sweep[@]}"; do printf '%s ' "${fig[sqlite_w$w]}"; done)"
  printf '%-44s %s\n' "  queued-to-started, idle workers" "${fig[sqlite_latency]}"
  printf '%-44s %s\n' "  coordinator RSS, idle / after burn-down" "$(mib "${fig[sqlite_idle_coord]}") / $(mib "${fig[sqlite_rss_coord]}") MiB"
  printf '%-44s %s\n' "  worker RSS (PSS), idle / after burn-down" \
    "$(mib "${fig[sqlite_idle_worker]}") ($(mib "${fig[sqlite_idle_pss]}")) / $(mib "${fig[sqlite_rss_worker]}") ($(mib "${fig[sqlite_pss_worker]}")) MiB"
fi
printf '%-34s %12s %12s %26s\n' "engine, $jobs jobs, 2 workers/host" "enqueue/s" "burn-down/s" "enqueue-to-start"
if [ -n "${fig[sqlite_burndown]:-}" ]; then
  printf '%-34s %12s %12s %26s\n' "sqlite, 1 host" "${fig[sqlite_enqueue]}" "${fig[sqlite_w2]}" "${fig[sqlite_latency]}"
fi
if [ -n "${fig[pg_burndown]:-}" ]; then
  printf '%-34s %12s %12s %26s\n' "postgresql, 1 host" "${fig[pg_enqueue]}" "${fig[pg_burndown]}" "${fig[pg_latency]}"
  printf '%-34s %12s %12s %26s\n' "postgresql, 2 hosts" "" "${fig[pg2_burndown]}" ""
  printf '%-34s %12s %12s %26s\n' "postgresql, 2 hosts x 1 worker" "" "${fig[pg2w1_burndown]}" ""
fi
if [ -n "${fig[sqlite_burndown]:-}" ] && [ -n "${fig[pg_burndown]:-}" ]; then
  echo "postgresql burn-down / sqlite burn-down (same run): 1 host $(ratio "${fig[pg_burndown]}" "${fig[sqlite_burndown]}"), 2 hosts $(ratio "${fig[pg2_burndown]}" "${fig[sqlite_burndown]}") (target >= 70 %)"
fi
echo "targets: sqlite burn-down >= 5000 jobs/s (issue 16: 11,000); enqueue-to-start p50 <= 1 ms, p99 <= 3 ms; worker RSS <= 3 MiB, coordinator <= 8 MiB idle"
# For a caller that prints these beside other figures (bench_graphile.sh): "key value" lines.
if [ -n "${RATCHET_BENCH_OUT:-}" ]; then
  for k in "${!fig[@]}"; do echo "$k ${fig[$k]}"; done >>"$RATCHET_BENCH_OUT"
fi
