#!/usr/bin/env bash
# Run the libFuzzer targets: tests/fuzz/run.sh [--time SECONDS] [--bin DIR] [TARGET...]
#
# Each target (default: all) runs for SECONDS (default 5, as in the test suite; give more for
# a real campaign) on a working corpus in $BIN/../fuzz-work/<target> seeded from
# tests/fuzz/corpus/<target> and the folders tests/fuzz/seeds.txt lists for it (the
# repository's seeds are only read). A crash, a leak, an
# undefined behaviour, a failed check or an input taking over 10 s stops the target and
# leaves the input in $BIN/../fuzz-artifacts/; add it to tests/fuzz/corpus/<target>/ with the
# fix so every build replays it. Build the targets first:
#   cmake --preset fuzz && cmake --build build-fuzz --target ratchet_fuzz
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
seconds=5
bin=$here/../../build-fuzz/fuzz
targets=()
while [ $# -gt 0 ]; do
  case $1 in
    --time) seconds=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  for d in "$here"/corpus/*/; do targets+=("$(basename "$d")"); done
fi
work=$(cd "$bin/.." && pwd)/fuzz-work
artifacts=$(cd "$bin/.." && pwd)/fuzz-artifacts
mkdir -p "$artifacts"
failed=0
for t in "${targets[@]}"; do
  exe=$bin/fuzz_$t
  if [ ! -x "$exe" ]; then
    echo "run.sh: $exe is missing (build the ratchet_fuzz target)" >&2
    exit 2
  fi
  mkdir -p "$work/$t"
  dict=()
  [ -f "$here/dict/$t.dict" ] && dict=(-dict="$here/dict/$t.dict")
  # libFuzzer writes new inputs to the first folder only and reads the others recursively
  seeds=("$here/corpus/$t")
  for d in $(awk -v t="$t" '$1 == t { for (i = 2; i <= NF; i++) print $i }' "$here/seeds.txt"); do
    seeds+=("$here/../../$d")
  done
  echo "== fuzz_$t for ${seconds}s"
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: a memory bomb is a finding.
  if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
     UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
     "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "${dict[@]}" \
       "$work/$t" "${seeds[@]}" >"$work/$t.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$work/$t.log" | tail -2 || true
  else
    failed=1
    echo "fuzz_$t FAILED; log: $work/$t.log; reproducer in $artifacts/" >&2
    grep -E 'ERROR|SUMMARY|fuzz check failed|runtime error|Test unit written' "$work/$t.log" \
      | head -20 >&2 || true
  fi
done
exit $failed
