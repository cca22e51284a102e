#!/usr/bin/env bash
# Build and run the whole test suite twice: a normal -Werror build and an
# AddressSanitizer + UBSan build (CMakePresets.json "asan"); then the fuzz targets, built with
# clang + libFuzzer (preset "fuzz"), each run for a few seconds (tests/fuzz/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
cmake -S . -B build -DRATCHET_WERROR=ON -DRATCHET_TESTS=ON
cmake --build build -j"$jobs"
ctest --test-dir build --output-on-failure -j"$jobs"
cmake --preset asan -DRATCHET_WERROR=ON
cmake --build build-asan -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j"$jobs"
cmake --preset fuzz -DRATCHET_WERROR=ON
cmake --build build-fuzz -j"$jobs" --target ratchet_fuzz
ctest --test-dir build-fuzz --output-on-failure -j"$jobs" -L '^fuzz$'
