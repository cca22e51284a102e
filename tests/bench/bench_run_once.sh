#!/usr/bin/env bash
# bench_run_once.sh - wall time of `ratchet run-once` on the addition sample against the bare
# `mujs` command running the same function on the same input, both measured in this run,
# alternating so that machine noise hits both: the median of 100 cold runs of each, side by
# side, and their ratio (target: at most 2.0 on 2 cores). Every output is checked; only a
# wrong output fails the run.
#
# Usage: bench_run_once.sh [--quick] [RATCHET_BIN]   (env RATCHET_BIN, RATCHET_SOURCE_DIR)
set -euo pipefail
runs=100
[ "${1:-}" = "--quick" ] && { runs=5; shift; }
bin=${1:-${RATCHET_BIN:?give the ratchet binary}}
src=${RATCHET_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
command -v mujs >/dev/null || { echo "bench_run_once: the mujs command is missing (apt-get install mujs)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
input='{"num1": 2, "num2": 40}'
# The baseline: the task's own main.js, called the way the executor calls it.
{ printf 'var main = '; cat "$src/sample/addition/main.js"; printf ';\nprint(JSON.stringify(main(JSON.parse(%s))));\n' "'$input'"; } >"$work/bare.js"

ns() { date +%s%N; }
declare -a t_ratchet t_mujs
for ((i = 0; i < runs; i++)); do
  a=$(ns); out=$("$bin" run-once --from-fs "$src/sample/addition" --input-json "$input"); b=$(ns)
  [ "$(tr -d ' \n' <<<"$out")" = '{"sum":42}' ] || { echo "wrong run-once output: $out" >&2; exit 1; }
  t_ratchet+=($(( (b - a) / 1000 )))
  a=$(ns); out=$(mujs "$work/bare.js"); b=$(ns)
  [ "$out" = '{"sum":42}' ] || { echo "wrong mujs output: $out" >&2; exit 1; }
  t_mujs+=($(( (b - a) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
mr=$(median "${t_ratchet[@]}")
mm=$(median "${t_mujs[@]}")
ratio=$(awk -v a="$mr" -v b="$mm" 'BEGIN {printf "%.2f", a / b}')
echo "run-once addition: median ${mr} us over $runs runs; bare mujs: median ${mm} us; ratio ${ratio}x (target <= 2.0x)"
