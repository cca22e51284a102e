#!/usr/bin/env bash
# bench_watch.sh - what the task watcher of `ratchet serve` costs and how soon an edit is live.
#
#  1. Latency: N edits of main.js (100; --quick: 3), each timed from the write to the reload
#     line in the log (polled every 5 ms); after each, a job must answer with the edited code.
#     Printed: median and p99, next to the debounce (500 ms, the floor) measured in the same
#     run as the baseline. Target: p99 under 1 s.
#  2. Idle cost: serve on F task folders (10,000; --quick: 200) with the watcher and, as the
#     baseline in the same run, with engine.watch: false: resident memory once ready, and CPU
#     time used over an idle window of 5 s.
# Only a wrong job output fails the run.
#
# Usage: bench_watch.sh [--quick] [RATCHET_BIN]   (env RATCHET_BIN, RATCHET_SOURCE_DIR)
set -euo pipefail
edits=100 folders=10000
[ "${1:-}" = "--quick" ] && { edits=3; folders=200; shift; }
bin=${1:-${RATCHET_BIN:?give the ratchet binary}}
src=${RATCHET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]+"${pids[@]}"}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
ns() { date +%s%N; }

# serve NAME WATCH TASKS: a server in $work/NAME; sets PID once it logs ready.
serve() {
  mkdir -p "$work/$1"
  cat >"$work/$1/r.yaml" <<YAML
engine:
  workers: 1
  watch: $2
instances:
  - name: file
    plugin: logger-file
    options: {path: serve.jsonl, level: info}
YAML
  "$bin" --config "$work/$1/r.yaml" --data-dir "$work/$1/data" --tasks "$3" serve --no-api \
    2>"$work/$1/serve.err" >/dev/null &
  PID=$!
  pids+=("$PID")
  local deadline=$(( $(ns) + 600 * 1000000000 ))
  until grep -q "ratchet serve: ready" "$work/$1/serve.jsonl" 2>/dev/null; do
    [ "$(ns)" -lt "$deadline" ] || { echo "serve $1 did not start" >&2; exit 1; }
    sleep 0.05
  done
}
stop() { kill "$1"; wait "$1" 2>/dev/null || true; }
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2))}'; }
p99() { sort -n | awk '{v[NR]=$1} END {i=int(NR*0.99+0.999); if (i<1) i=1; print v[i]}'; }

# ---- 1. latency ------------------------------------------------------------------------------
mkdir -p "$work/tasks"
cp -r "$src/sample/addition" "$work/tasks/addition"
serve latency true "$work/tasks"
log=$work/latency/serve.jsonl
ms=()
for ((i = 1; i <= edits; i++)); do
  a=$(ns)
  printf '(function (input) { return { sum: input.num1 + input.num2 + %d }; })\n' "$i" >"$work/tasks/addition/main.js"
  until [ "$(grep -c "reloaded task addition" "$log")" -ge "$i" ]; do
    [ $(( $(ns) - a )) -lt 20000000000 ] || { echo "edit $i not reloaded within 20 s" >&2; exit 1; }
    sleep 0.005
  done
  ms+=($(( ($(ns) - a) / 1000000 )))
  out=$("$bin" --data-dir "$work/latency/data" jobs submit --task addition --input-json '{"num1": 1, "num2": 1}' --wait --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["output"]["sum"])')
  [ "$out" = $((2 + i)) ] || { echo "edit $i: the job answered $out, not $((2 + i))" >&2; exit 1; }
done
stop "$PID"
med=$(printf '%s\n' "${ms[@]}" | median)
top=$(printf '%s\n' "${ms[@]}" | p99)
echo "edit -> new version live: median ${med} ms, p99 ${top} ms over $edits edits; baseline: the debounce, 500 ms; overhead at the median $((med - 500)) ms (target: p99 < 1000 ms)"

# ---- 2. idle cost ----------------------------------------------------------------------------
mkdir -p "$work/many"
for ((i = 0; i < folders; i++)); do
  d=$work/many/t$i
  mkdir -p "$d"
  printf '{"name": "t%d", "version": "1.0.0"}\n' "$i" >"$d/metadata.json"
  printf 'function main(input) { return input; }\n' >"$d/main.js"
done
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
idle() { # idle NAME WATCH: "<rss kB> <cpu ms over 5 s>"
  serve "$1" "$2" "$work/many"
  local rss t0 t1 hz
  rss=$(rss_kb "$PID")
  hz=$(getconf CLK_TCK)
  t0=$(cpu_ticks "$PID")
  sleep 5 # the idle window being measured
  t1=$(cpu_ticks "$PID")
  stop "$PID"
  echo "$rss $(( (t1 - t0) * 1000 / hz ))"
}
read -r rss_w cpu_w < <(idle idle_watch true)
read -r rss_n cpu_n < <(idle idle_nowatch false)
grep -q "watching $work/many" "$work/idle_watch/serve.jsonl" || { echo "the watcher did not start" >&2; exit 1; }
echo "idle on $folders task folders: with the watcher ${rss_w} kB RSS, ${cpu_w} ms CPU in 5 s; baseline (engine.watch: false) ${rss_n} kB, ${cpu_n} ms; watcher cost $((rss_w - rss_n)) kB"
