#!/usr/bin/env bash
# MuJS built with raised limits (plugins/executor-mujs/mujs_lib.cmake): `plugins describe`
# names the build; 10,000 nested calls work in run-once, `ratchet test` and a serve worker;
# runaway recursion ends as a typed "stack overflow" naming the depth, never a crash; memory
# stays bounded by --memory-mb. Then the fallback: configured without the source, the
# plugin builds against the system libmujs and configure says so.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
mk() { # mk NAME 'main.js'
  mkdir -p "$WORK/tasks/$1/tests"
  printf '{"name": "%s", "version": "1.0.0"}\n' "$1" >"$WORK/tasks/$1/metadata.json"
  printf '%s\n' "$2" >"$WORK/tasks/$1/main.js"
}
mk deep 'function d(n) { return n === 0 ? 0 : 1 + d(n - 1); } function main(input) { return {depth: d(input.n)}; }'
echo '{"input": {"n": 10000}, "expected_output": {"depth": 10000}}' >"$WORK/tasks/deep/tests/t1.json"
mk runaway 'function f() { return f(); } function main(input) { return f(); }'
# 10,000 levels each holding 2 KB: about 20 MiB live at the deepest point.
mk heavy 'function d(n) { var s = new Array(2049).join("x"); return n === 0 ? 0 : d(n - 1) + s.length - 2048 + 1; } function main(input) { return {depth: d(10000)}; }'

run "$R" plugins describe executor-mujs
expect_rc 0 "plugins describe executor-mujs"
if grep -q "built from Debian's source" <<<"$OUT"; then
  expect_out_contains "JS_ENVLIMIT=16384" "describe names the raised limits"
  expect_out_contains "up to 16383 nested calls" "describe names the depth"
  expect_out_lacks "system libmujs" "describe does not claim the system library"
  deep=1
else
  # A build without the source (see the fallback below): the limits are Debian's.
  expect_out_contains "the system libmujs" "describe names the system library"
  echo "note: this build uses the system libmujs; the deep-recursion checks are skipped"
  deep=0
fi

if [ "$deep" = 1 ]; then
  run "$R" run-once --from-fs "$WORK/tasks/deep" --input-json '{"n": 10000}'
  expect_rc 0 "d(10000) in run-once"
  expect_out_contains '"depth": 10000' "run-once result"
  run "$R" test --from-fs "$WORK/tasks/deep"
  expect_rc 0 "d(10000) in ratchet test"
  expect_out_contains "1 passed, 0 failed" "ratchet test result"
  run "$R" run-once --from-fs "$WORK/tasks/heavy"
  expect_rc 0 "deep recursion holding 20 MiB under the default limit"
  run "$R" run-once --from-fs "$WORK/tasks/heavy" --memory-mb 8
  expect_rc 1 "the same with --memory-mb 8"
  expect_err_contains "out of memory: memory limit of 8 MiB exceeded" "memory still bounded"
fi
run "$R" run-once --from-fs "$WORK/tasks/runaway"
expect_rc 1 "runaway recursion"
expect_err_contains "stack overflow: " "runaway recursion is a stack overflow"
expect_err_contains "nested calls" "the message names the depth"
[ "$deep" = 1 ] && expect_err_contains "more than 16383 nested calls" "the depth is the build's"
CHECKS=$((CHECKS + 1))
if grep -qi "signal\|crash" <<<"$ERR"; then fail "runaway recursion crashed: $ERR"; else pass "no crash"; fi
run "$R" run-once --from-fs "$WORK/tasks/runaway" --memory-mb 2
expect_rc 1 "runaway recursion under --memory-mb 2"
expect_err_contains "stack overflow: " "still a stack overflow with little memory"

# A serve worker runs the same task.
start_serve "  timeout: 20s"
if [ "$deep" = 1 ]; then
  run "${OPS[@]}" jobs submit --task deep --input-json '{"n": 10000}' --wait --json
  expect_rc 0 "d(10000) in a worker"
  expect_out_contains '"depth": 10000' "worker result"
fi
run "${OPS[@]}" jobs submit --task runaway --input-json '{}' --wait --json
expect_rc 1 "runaway recursion in a worker"
expect_out_contains "nested calls" "the worker reports the stack overflow"
expect_out_lacks "signal" "the worker did not crash"
run "${OPS[@]}" jobs submit --task deep --input-json '{"n": 10}' --wait --json
expect_rc 0 "the worker carries on"
kill -TERM "$SERVE" 2>/dev/null
wait "$SERVE" 2>/dev/null

# Fallback: configure with the source folder missing and build the plugin alone (no tests,
# one target: a few seconds). Configure warns; the plugin links the system libmujs.
B="$WORK/fallback"
cmake -S "$RATCHET_SOURCE_DIR" -B "$B" -DRATCHET_TESTS=OFF -DRATCHET_WERROR=ON \
  -DRATCHET_MUJS_SOURCE_DIR="$WORK/no-such-folder" >"$WORK/cmake.log" 2>&1 &&
  cmake --build "$B" -j2 --target plugin_executor_mujs >>"$WORK/cmake.log" 2>&1 && RC=0 || RC=$?
# CMake wraps warnings over lines: compare with the line breaks folded.
OUT="" ERR=$(tr -s " \n" "  " <"$WORK/cmake.log")
expect_rc 0 "the plugin builds without the MuJS source"
expect_err_contains "no MuJS source in '$WORK/no-such-folder'" "configure says the source is missing"
expect_err_contains "Using the system libmujs with its default limits" "configure says what it falls back to"
CHECKS=$((CHECKS + 1))
if readelf -d "$B/plugins/executor-mujs.so" 2>/dev/null | grep -q "NEEDED.*libmujs"; then
  pass "the fallback plugin links libmujs"; else fail "the fallback plugin does not link libmujs"; fi
CHECKS=$((CHECKS + 1))
if grep -aq "the system libmujs" "$B/plugins/executor-mujs.so"; then
  pass "the fallback plugin describes itself as the system build"; else
  fail "the fallback plugin's description lacks 'the system libmujs'"; fi
if [ "$deep" = 1 ]; then
  CHECKS=$((CHECKS + 1))
  if readelf -d "$RATCHET_BUILD_DIR/plugins/executor-mujs.so" 2>/dev/null | grep -q "NEEDED.*libmujs"; then
    fail "the main build's plugin links the system libmujs"; else
    pass "the main build's plugin carries its own MuJS"; fi
fi
finish
