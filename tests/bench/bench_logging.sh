#!/usr/bin/env bash
# bench_logging.sh - the logging benchmark (bench_logging.c): rt_log into logger-buffered
# (events/s and per-call p50/p99; targets >= 1,000,000 events/s and p99 < 2 us), the file
# drain rate through it, logger-file alone, and a plain fprintf loop as the baseline, all in
# one run, with the machine's load printed beside them. Only wrong line counts fail.
#
# Usage: bench_logging.sh [--quick] [BUILD_DIR]   (env BENCH_LOGGING: the driver binary)
set -euo pipefail
quick=()
[ "${1:-}" = "--quick" ] && { quick=(--quick); shift; }
build=${1:-}
driver=${BENCH_LOGGING:-${build:+$build/tests/bench/bench_logging}}
[ -x "${driver:-}" ] || { echo "bench_logging.sh: give the build directory (or BENCH_LOGGING)" >&2; exit 2; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPU(s)"
"$driver" "${quick[@]}"
