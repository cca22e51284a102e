# bench_queue_rss.sh - sourced by bench_burndown.sh and bench_queue_scale.sh: the memory of a
# running `ratchet serve` (the coordinator) and of its `ratchet worker` children.
#
# RSS counts every page a process has mapped, including the pages of libc and of the ratchet
# binary that all workers and the coordinator share (in memory once); PSS divides each shared
# page among the processes mapping it, so the sum of PSS is what they cost together.

# serve_memory PID: sets mem_coord (the coordinator's RSS), mem_worker (the largest worker
# RSS), mem_worker_pss (the largest worker PSS) and mem_workers (how many), in KiB.
serve_memory() {
  local pid=$1 w rss pss
  mem_coord=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  mem_worker=0 mem_worker_pss=0 mem_workers=0
  for w in $(pgrep -P "$pid"); do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$w/status" 2>/dev/null) || continue
    pss=$(awk '/^Pss:/ {print $2}' "/proc/$w/smaps_rollup" 2>/dev/null) || pss=0
    mem_workers=$((mem_workers + 1))
    [ "$rss" -gt "$mem_worker" ] && mem_worker=$rss
    [ "${pss:-0}" -gt "$mem_worker_pss" ] && mem_worker_pss=$pss
  done
  return 0
}

# mib KIB: KiB as MiB with one decimal.
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }
