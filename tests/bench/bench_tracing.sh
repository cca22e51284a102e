#!/usr/bin/env bash
# bench_tracing.sh - what traces cost the engine: the burn-down rate of `ratchet serve` (2
# workers, the addition task, N jobs queued beforehand) without the exporter-otlp plugin (the
# baseline: trace ids, traceparent and span bookkeeping only), with it sending to an endpoint
# that refuses connections (the engine's side of spans: encoding, queueing, failed POSTs), and
# with it sending to a local OTLP receiver (tests/integration/otlp_receiver.py, on the same
# cores). The three alternate, RUNS times each; the median of each is printed with its ratio to
# the baseline, and the spans the receiver took against those emitted (drops are counted, by
# design, when the queue fills faster than the receiver reads).
#
# Usage: bench_tracing.sh [--quick]   env RATCHET_BIN, RATCHET_SOURCE_DIR
set -euo pipefail
quick=0
[ "${1:-}" = --quick ] && quick=1
[ $# -gt 0 ] && [ "$1" != --quick ] && { echo "bench_tracing.sh: unknown argument '$1'" >&2; exit 2; }
R=${RATCHET_BIN:?RATCHET_BIN must point at the ratchet binary}
src=${RATCHET_SOURCE_DIR:?}
N=3000 RUNS=3
[ $quick = 1 ] && N=200 RUNS=1
W=$(mktemp -d "${TMPDIR:-/tmp}/ratchet-bench-tracing.XXXXXX")
rcv=
trap '[ -n "$rcv" ] && kill $rcv 2>/dev/null; rm -rf "$W"' EXIT
mkdir -p "$W/tasks" && cp -r "$src/sample/addition" "$W/tasks/"
python3 "$src/tests/integration/otlp_receiver.py" "$W/otlp.port" "$W/spans.jsonl" &
rcv=$!
for _ in $(seq 500); do [ -s "$W/otlp.port" ] && break; sleep 0.01; done
seq 1 $N | awk '{printf "{\"num1\": %d, \"num2\": 1}\n", $1}' >"$W/batch.jsonl"

endpoint() { # MODE -> the exporter's endpoint, or nothing for the baseline
  case "$1" in
    refused) echo "http://127.0.0.1:1/v1/traces" ;;
    receiver) echo "http://127.0.0.1:$(cat "$W/otlp.port")/v1/traces" ;;
  esac
}
# one MODE RUN: prints the burn-down rate in jobs/s
one() {
  local d="$W/$1-$2" ep
  ep=$(endpoint "$1")
  mkdir -p "$d"
  {
    echo "engine: {workers: 2, max_retries: 0}"
    echo "instances:"
    echo "  - {name: file, plugin: logger-file, options: {path: $d/serve.jsonl, level: warn}}"
    [ -n "$ep" ] && echo "  - {name: otlp, plugin: exporter-otlp, options: {endpoint: \"$ep\", flush_interval: 200ms, timeout: 1s}}"
  } >"$d/r.yaml"
  local ops=("$R" --config "$d/r.yaml" --data-dir "$d/data" --tasks "$W/tasks")
  "${ops[@]}" jobs submit --task addition --batch "$W/batch.jsonl" >/dev/null
  local t0 t1 pid
  t0=$(date +%s%N)
  "${ops[@]}" serve --no-api 2>>"$d/serve.err" &
  pid=$!
  "${ops[@]}" jobs wait --timeout 300s >/dev/null
  t1=$(date +%s%N)
  kill -TERM $pid
  wait $pid 2>/dev/null || true
  echo $((N * 1000000000 / (t1 - t0)))
}
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

declare -A rates=([baseline]="" [refused]="" [receiver]="")
for run in $(seq $RUNS); do
  for mode in baseline refused receiver; do
    rates[$mode]+="$(one $mode $run) "
  done
done
base=$(median <<<"${rates[baseline]}")
printf '%-44s %10s %8s\n' "burn-down, $N jobs, 2 workers (median of $RUNS)" "jobs/s" "ratio"
for mode in baseline refused receiver; do
  m=$(median <<<"${rates[$mode]}")
  label=$mode
  [ $mode = baseline ] && label="no exporter (baseline)"
  [ $mode = refused ] && label="exporter, endpoint refusing connections"
  [ $mode = receiver ] && label="exporter, local OTLP receiver"
  printf '%-44s %10s %8s\n' "$label" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN {printf "%.2f", a / b}')"
done
received=$(wc -l <"$W/spans.jsonl")
echo "spans received: $received of $((N * 4 * RUNS)) emitted in the receiver runs (the rest dropped: queue full)"
[ "$received" -gt 0 ] || { echo "bench_tracing.sh: the receiver got no spans" >&2; exit 1; }
