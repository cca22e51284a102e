#!/usr/bin/env bash
# bench_queue_scale.sh - does the queue stay as fast when it grows? (issue 16, point 3)
#
# For each size N (10,000, 100,000 and 1,000,000; the first is the baseline):
#   burn-down   N jobs queued, `ratchet serve` (its default worker count) started on them; the
#               rate is the first K jobs (K = 10,000) from the start of serve until the K-th
#               job in claim order has ended (`jobs wait ID`: no polling); the median of 3
#               rounds, the sizes interleaved;
#   submit      N finished jobs (each with its execution) kept in history, then K more jobs
#               queued by `jobs submit --batch`;
#   jobs list   the same history: median wall time of `ratchet jobs list` (newest first, one
#               page, with its total), and of `jobs list --status failed` (no match);
#   jobs show   median wall time of `ratchet jobs show ID` for a job in the middle of the history;
#   memory      RSS of serve and of its largest worker after the first job and after all
#               100,000 jobs of the middle size (the bound under load of point 4).
# Every figure is printed with its ratio to the 10,000-job figure of the same run; the target
# is within 20 % (a rate at least 0.80x, a latency at most 1.20x). Databases are filled with
# SQL through the sqlite3 command (the schema is the one `ratchet` creates), so that setting up
# 1,000,000 jobs takes seconds and not a burn-down of its own. The statements of the hot path
# are also printed with SQLite's query plan at the largest size (EXPLAIN QUERY PLAN); the run
# fails on a bare SCAN of jobs or executions, unless the statement's label says the scan stops
# at a LIMIT in its order.
#
# Usage: bench_queue_scale.sh [--quick]   (--quick: 1,000 and 5,000 jobs, K = 300; seconds)
#        env RATCHET_BIN, RATCHET_SOURCE_DIR
set -euo pipefail
quick=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    *) echo "bench_queue_scale.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done
src=${RATCHET_SOURCE_DIR:?}
R=${RATCHET_BIN:?}
command -v sqlite3 >/dev/null || { echo "bench_queue_scale.sh: needs the sqlite3 command (apt-get install sqlite3)" >&2; exit 2; }
sizes=(10000 100000 1000000) K=10000 reps=21 rounds=3
[ $quick = 1 ] && { sizes=(1000 5000); K=300; reps=5; rounds=1; }
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]+"${pids[@]}"}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$work"' EXIT
printf 'engine:\n  workers: 0\ninstances: []\n' >"$work/r.yaml"
ns() { date +%s%N; }
. "$(dirname "$0")/bench_queue_rss.sh"

# ops DB ARGS...: a ratchet operator command on database DB.
ops() { local db=$1; shift; "$R" --config "$work/r.yaml" --storage-url "sqlite:$db" "$@"; }

# seed DB: the schema and the addition task, stored by ratchet itself; prints the version id.
seed() {
  rm -f "$1" "$1-wal" "$1-shm"
  ops "$1" --tasks "$src/sample/addition" tasks list >/dev/null
  sqlite3 "$1" "SELECT v.id FROM task_versions v JOIN tasks t ON t.id = v.task_id WHERE t.name = 'addition'"
}

# fill DB N STATUS: N jobs of the addition task, queued (STATUS queued) or finished
# (completed, each with its execution), as job_submit and job_finish would leave them.
fill() {
  local db=$1 n=$2 status=$3 v
  v=$(seed "$db")
  local now=$(($(date +%s) * 1000))
  sqlite3 "$db" >/dev/null <<SQL
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
BEGIN;
INSERT INTO jobs (id, uuid, task_id, task_version_id, status, priority, input, output, attempts,
                  execution_id, queued_at, process_at, started_at, completed_at)
SELECT value, printf('00000000-0000-4000-8000-%012d', value), v.task_id, v.id, '$status', 2,
       printf('{"num1": %d, "num2": 1}', value),
       CASE WHEN '$status' = 'completed' THEN printf('{"result": %d}', value + 1) END,
       CASE WHEN '$status' = 'completed' THEN 1 ELSE 0 END,
       CASE WHEN '$status' = 'completed' THEN value END,
       $now - $n + value, $now - $n + value,
       CASE WHEN '$status' = 'completed' THEN $now - $n + value END,
       CASE WHEN '$status' = 'completed' THEN $now - $n + value END
FROM generate_series(1, $n), task_versions v WHERE v.id = $v;
INSERT INTO executions (id, uuid, job_id, task_id, task_version_id, attempt, status, output,
                        logs, http, started_at, completed_at, duration_ms)
SELECT id, printf('00000000-0000-4000-9000-%012d', id), id, task_id, task_version_id, 1,
       'completed', output, '[]', '[]', started_at, completed_at, 0
FROM jobs WHERE status = 'completed';
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
}

# median MS of "$@" run $reps times (wall time of the whole command, in ms).
median_ms() {
  local i a b t=()
  for ((i = 0; i < reps; i++)); do
    a=$(ns); "$@" >/dev/null; b=$(ns)
    t+=($(((b - a) / 1000)))
  done
  printf '%s\n' "${t[@]}" | sort -n | awk '{v[NR] = $1} END {printf "%.1f", v[int((NR + 1) / 2)] / 1000}'
}

# burn N: jobs/s of the first K of N queued jobs; then they are queued again for the next
# round (a copy of a large file would still be written back to disk during the next burn).
burn() {
  local n=$1 db="$work/q$1.db"
  local a b
  a=$(ns)
  "$R" --config "$work/r.yaml" --storage-url "sqlite:$db" --data-dir "$work/host" serve --no-api \
    2>"$work/serve.err" &
  pids+=($!)
  # Claim order is priority, then queue time: the K-th job queued is the K-th claimed.
  ops "$db" jobs wait "$K" --timeout 10m >/dev/null || { echo "N=$n: $(tail -5 "$work/serve.err")" >&2; exit 1; }
  b=$(ns)
  kill -TERM "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
  local done_now
  done_now=$(sqlite3 "$db" "SELECT count(*) FROM jobs WHERE status = 'completed'")
  [ "$done_now" -ge "$K" ] || { echo "N=$n: only $done_now of $K jobs completed" >&2; exit 1; }
  echo $((K * 1000000000 / (b - a))) >>"$work/burn_$n"
  sqlite3 "$db" >/dev/null <<'SQL'
DELETE FROM executions;
UPDATE jobs SET status = 'queued', attempts = 0, output = NULL, execution_id = NULL,
  lease_owner = NULL, lease_until = NULL, started_at = NULL, completed_at = NULL
  WHERE status <> 'queued';
UPDATE job_counts SET n = (SELECT count(*) FROM jobs WHERE jobs.status = job_counts.status);
PRAGMA wal_checkpoint(TRUNCATE);
SQL
}

# growth N: the memory of serve and its workers after the first job and after all N jobs of
# the queue of size N (does anything grow with the number of jobs run?).
growth() {
  local n=$1 db="$work/q$1.db"
  "$R" --config "$work/r.yaml" --storage-url "sqlite:$db" --data-dir "$work/host" serve --no-api \
    2>"$work/serve.err" &
  pids+=($!)
  ops "$db" jobs wait 1 --timeout 1m >/dev/null
  serve_memory "${pids[-1]}"
  fig[grow_coord_1]=$mem_coord fig[grow_worker_1]=$mem_worker fig[grow_pss_1]=$mem_worker_pss
  ops "$db" jobs wait --timeout 10m >/dev/null || { echo "growth: $(tail -5 "$work/serve.err")" >&2; exit 1; }
  serve_memory "${pids[-1]}"
  fig[grow_coord_n]=$mem_coord fig[grow_worker_n]=$mem_worker fig[grow_pss_n]=$mem_worker_pss
  kill -TERM "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
  local done_now
  done_now=$(sqlite3 "$db" "SELECT n FROM job_counts WHERE status = 'completed'")
  [ "$done_now" -eq "$n" ] || { echo "growth: $done_now of $n jobs completed" >&2; exit 1; }
}

# history N: submit rate, list and show latency with N finished jobs kept.
history() {
  local n=$1 db="$work/h$1.db"
  fill "$db" "$n" completed
  fig[list_$n]=$(median_ms ops "$db" jobs list --limit 20)
  fig[listf_$n]=$(median_ms ops "$db" jobs list --status failed --limit 20)
  local id=$((n / 2))
  fig[show_$n]=$(median_ms ops "$db" jobs show "$id")
  seq 1 "$K" | awk '{printf "{\"num1\": %d, \"num2\": 2}\n", $1}' >"$work/batch.jsonl"
  local a b
  a=$(ns)
  ops "$db" jobs submit --task addition --batch "$work/batch.jsonl" >/dev/null
  b=$(ns)
  fig[submit_$n]=$(awk -v n="$K" -v t=$((b - a)) 'BEGIN {printf "%.0f", n / (t / 1e9)}')
  [ "${sizes[-1]}" = "$n" ] && plans "$db"
  rm -f "$db" "$db-wal" "$db-shm"
}

# plans DB: the query plan of each statement on the queue's hot path (the SQL as in
# plugins/storage-sqlite); a full scan of jobs or executions fails the run.
plans() {
  local out="$work/plans.txt"
  sqlite3 "$1" >"$out" <<'SQL'
.print claim
EXPLAIN QUERY PLAN SELECT id FROM jobs INDEXED BY jobs_ready WHERE status IN ('queued', 'retrying') AND process_at <= 1 ORDER BY priority DESC, queued_at, id LIMIT 32;
.print claim.job
EXPLAIN QUERY PLAN UPDATE jobs SET status = 'processing', attempts = attempts + 1, lease_owner = 'o', lease_until = 1, started_at = 1, execution_id = 1 WHERE id = 1;
.print claim.execution
EXPLAIN QUERY PLAN INSERT INTO executions (uuid, job_id, task_id, task_version_id, attempt, status, started_at) SELECT 'u', id, task_id, task_version_id, attempts + 1, 'running', 1 FROM jobs WHERE id = 1;
.print finish.job
EXPLAIN QUERY PLAN UPDATE jobs SET status = 'completed', output = 'x', completed_at = 1, lease_owner = NULL, lease_until = NULL WHERE id = 1 AND execution_id = 1 AND lease_owner = 'o' AND status = 'processing';
.print finish.execution
EXPLAIN QUERY PLAN UPDATE executions SET status = 'completed', output = 'x' WHERE id = 1;
.print renew
EXPLAIN QUERY PLAN UPDATE jobs INDEXED BY jobs_leased SET lease_until = 1 WHERE lease_owner = 'o' AND status = 'processing';
.print requeue_expired
EXPLAIN QUERY PLAN SELECT id, execution_id, lease_owner FROM jobs INDEXED BY jobs_leased WHERE status = 'processing' AND lease_until < 1;
.print cancel_requests
EXPLAIN QUERY PLAN SELECT id FROM jobs INDEXED BY jobs_leased WHERE lease_owner = 'o' AND status = 'processing' AND cancel_requested = 1 ORDER BY id;
.print next_due
EXPLAIN QUERY PLAN SELECT min(process_at) FROM jobs INDEXED BY jobs_due WHERE status IN ('queued', 'retrying') AND process_at > 1;
.print submit.idempotency
EXPLAIN QUERY PLAN SELECT id FROM jobs WHERE idempotency_key = 'k';
.print prune
EXPLAIN QUERY PLAN DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE completed_at < 1 AND status IN ('completed', 'failed', 'cancelled') LIMIT 1000);
.print list.total (jobs wait, jobs list --status)
EXPLAIN QUERY PLAN SELECT coalesce(sum(j.n), 0) FROM job_counts j WHERE j.status IN ('queued', 'processing', 'retrying');
.print list.page (the subquery walks ids newest first and stops at its LIMIT)
EXPLAIN QUERY PLAN SELECT j.id FROM jobs j JOIN task_versions v ON v.id = j.task_version_id JOIN tasks t ON t.id = j.task_id WHERE j.id IN (SELECT j.id FROM jobs j ORDER BY j.id DESC LIMIT 20 OFFSET 0) ORDER BY j.id DESC;
SQL
  echo "query plans of the hot path ($1 with ${sizes[-1]} finished jobs):"
  sed 's/^/  /' "$out"
  # A bare SCAN of jobs or executions (no index) is a full scan, unless the statement stops at
  # a LIMIT in the scan's order (said in its label).
  if awk '/^[a-z]/ {bounded = /LIMIT/} /SCAN (jobs|executions|j|e)$/ && !bounded {bad = 1}
          END {exit !bad}' "$out"; then
    echo "bench_queue_scale.sh: a hot statement scans a whole table (above)" >&2
    exit 1
  fi
}

echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
declare -A fig
for n in "${sizes[@]}"; do
  history "$n"
  fill "$work/q$n.db" "$n" queued
done
# Burn-downs interleaved (each size once per round), the median of the rounds: on a shared
# machine the load changes from one minute to the next.
for ((r = 0; r < rounds; r++)); do
  for n in "${sizes[@]}"; do burn "$n"; done
done
grown=${sizes[1]}
growth "$grown"
for n in "${sizes[@]}"; do
  fig[burn_$n]=$(sort -n "$work/burn_$n" | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
done

base=${sizes[0]}
# row LABEL KEY KIND: one line, the baseline figure then each size's figure with its ratio;
# KIND rate (higher is better) or ms (lower is better).
row() {
  printf '%-34s' "$1"
  for n in "${sizes[@]}"; do
    local v=${fig[$2_$n]}
    if [ "$n" = "$base" ]; then
      printf ' %22s' "$v"
    else
      printf ' %22s' "$v ($(awk -v a="$v" -v b="${fig[$2_$base]}" 'BEGIN {printf "%.2fx", a / b}'))"
    fi
  done
  echo
}
printf '%-34s' "queue size (ratio to $base)"
for n in "${sizes[@]}"; do printf ' %22s' "$n"; done
echo
row "burn-down, first $K jobs, jobs/s" burn rate
row "submit --batch $K, jobs/s" submit rate
row "jobs list --limit 20, ms" list ms
row "jobs list --status failed, ms" listf ms
row "jobs show ID, ms" show ms
printf '%-34s %22s %22s\n' "memory, MiB" "after 1 job" "after $grown jobs"
printf '%-34s %22s %22s\n' "coordinator RSS" "$(mib "${fig[grow_coord_1]}")" "$(mib "${fig[grow_coord_n]}")"
printf '%-34s %22s %22s\n' "largest worker RSS (PSS)" "$(mib "${fig[grow_worker_1]}") ($(mib "${fig[grow_pss_1]}"))" \
  "$(mib "${fig[grow_worker_n]}") ($(mib "${fig[grow_pss_n]}"))"
echo "target: every ratio within 20 % of the $base-job figure (rates >= 0.80x, times <= 1.20x)"
echo "load after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
