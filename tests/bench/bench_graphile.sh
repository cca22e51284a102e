#!/usr/bin/env bash
# bench_graphile.sh - the peer baseline of issues 16 and 17: the same 10,000 trivial jobs (add
# two numbers), all queued before the workers start, burnt down by graphile-worker (npm,
# installed into .cache/npm-graphile) on a throwaway PostgreSQL cluster (tests/pg_cluster.sh),
# once keeping no output (graphile-worker's default) and once storing each sum in a table (as
# Ratchet keeps every output and execution record); beside them, in the same run and on the
# same cluster, Ratchet's burn-down on SQLite and on PostgreSQL (bench_burndown.sh). Figures
# are printed with their ratio to Ratchet on SQLite from this run. graphile-worker runs with
# concurrency 10 in one Node process; its figure is from run() to the last completion, and
# again including Node's start-up.
# Not part of the pass/fail suite except the quick smoke (bench.graphile_quick: 300 jobs).
# Skips (exit 77) with a message when node/npm or the npm registry are not available.
#
# Usage: bench_graphile.sh [--quick]   (env RATCHET_BIN, RATCHET_SOURCE_DIR, RATCHET_BUILD_DIR)
set -euo pipefail
src=${RATCHET_SOURCE_DIR:?}
quick=0
[ "${1:-}" = "--quick" ] && quick=1
if [ -z "${RATCHET_PG_URL:-}" ]; then
  exec bash "$src/tests/pg_cluster.sh" bash "$0" "$@"
fi
jobs=10000
[ $quick = 1 ] && jobs=300
cache=${RATCHET_NPM_CACHE:-$src/.cache/npm-graphile}
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: node and npm are needed for the graphile-worker baseline"
  exit 77
fi
if [ ! -d "$cache/node_modules/graphile-worker" ] &&
  ! npm install --prefix "$cache" --no-audit --no-fund graphile-worker@0 >"$cache.log" 2>&1; then
  echo "SKIP: cannot install graphile-worker from the npm registry:"
  tail -5 "$cache.log"
  exit 77
fi
export NODE_PATH=$cache/node_modules
out=$(mktemp)
trap 'rm -f "$out"' EXIT
ns() { date +%s%N; }

echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores; other work on the machine shows here)"
# Ratchet, both storages, on this cluster.
args=(--storage both)
[ $quick = 1 ] && args+=(--quick)
RATCHET_BENCH_OUT=$out bash "$src/tests/bench/bench_burndown.sh" "${args[@]}" | tail -n 6

# graphile-worker: queue, then burn down (timed inside and, with Node's start-up, outside).
gw() { node "$src/tests/bench/bench_graphile.cjs" "$@"; }
for mode in plain store; do
  gw enqueue "$RATCHET_PG_URL" "$jobs"
  a=$(ns)
  line=$(gw burn "$RATCHET_PG_URL" "$jobs" "$mode")
  b=$(ns)
  echo "$line"
  echo "graphile_$mode ${line##*= }" | sed 's| jobs/s||' >>"$out"
  echo "graphile_${mode}_startup $(awk -v n="$jobs" -v t=$((b - a)) 'BEGIN {printf "%.0f", n / (t / 1e9)}')" >>"$out"
done
stored=$(psql "$RATCHET_PG_URL" -XAtq -c "SELECT count(*) FROM bench_outputs")
[ "$stored" -eq "$jobs" ] || { echo "graphile store: $stored outputs stored, expected $jobs" >&2; exit 1; }

fig() { awk -v k="$1" '$1 == k {print $2}' "$out"; }
base=$(fig sqlite_burndown)
row() {
  printf '%-48s %10s jobs/s %8s\n' "$1" "$2" \
    "$(awk -v a="$2" -v b="$base" 'BEGIN {printf "%.2f", a / b}')"
}
echo
printf '%-48s %17s %8s\n' "burn-down of $jobs jobs (same run, same cluster)" "" "vs sqlite"
row "ratchet, sqlite, 1 host, 2 workers" "$base"
row "ratchet, postgresql, 1 host, 2 workers" "$(fig pg_burndown)"
row "ratchet, postgresql, 2 hosts, 2 workers each" "$(fig pg2_burndown)"
row "graphile-worker, no output kept" "$(fig graphile_plain)"
row "graphile-worker, no output kept, with start-up" "$(fig graphile_plain_startup)"
row "graphile-worker, output stored in a table" "$(fig graphile_store)"
row "graphile-worker, output stored, with start-up" "$(fig graphile_store_startup)"
row "ratchet, sqlite, best worker count ($(fig sqlite_best_workers))" "$(fig sqlite_best)"
row "ratchet, postgresql, 2 hosts, 1 worker each" "$(fig pg2w1_burndown)"
# The rest of issue 16's figures, from the same run (bench_burndown.sh on SQLite).
text() { awk -v k="$1" '$1 == k {$1 = ""; sub(/^ /, ""); print}' "$out"; }
mib() { awk -v k="${1:-0}" 'BEGIN {printf "%.1f", k / 1024}'; }
printf '%-48s %17s\n' "enqueue, jobs submit --batch (sqlite)" "$(fig sqlite_enqueue) jobs/s"
printf '%-48s %17s\n' "queued-to-started, idle workers (sqlite)" "$(text sqlite_latency)"
printf '%-48s %17s\n' "worker RSS (PSS), idle / after burn-down" \
  "$(mib "$(fig sqlite_idle_worker)") ($(mib "$(fig sqlite_idle_pss)")) / $(mib "$(fig sqlite_rss_worker)") ($(mib "$(fig sqlite_pss_worker)")) MiB"
printf '%-48s %17s\n' "coordinator RSS, idle / after burn-down" \
  "$(mib "$(fig sqlite_idle_coord)") / $(mib "$(fig sqlite_rss_coord)") MiB"
echo "targets (issues 16, 17): burn-down >= graphile-worker's with start-up and >= 11,000 jobs/s;" \
  "queued-to-started p50 <= 1 ms, p99 <= 3 ms; worker RSS <= 3 MiB and coordinator <= 8 MiB idle;" \
  "postgresql >= 70 % of sqlite, 2 hosts not slower than 1"
