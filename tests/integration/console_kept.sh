#!/usr/bin/env bash
# Console lines survive a stopped execution: what a task printed before it was killed at its
# timeout or hit its memory limit is kept with the failed execution
# (`executions show`) and shown by `run-once` on stderr; a task logging without end keeps a
# bounded number of lines and says where they were cut.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
mk spin 'function main(input) { console.log("spin starts", input.n); console.warn("spin line 2"); for (;;) {} }'
mk bomb 'function main(input) { console.log("bomb allocates"); var s = "bomb"; for (;;) s = s + s; }'
mk chatty 'function main(input) { for (var i = 0; i < 20000; i++) console.log("line " + i); for (;;) {} }'

# run-once: the lines reach stderr before the timeout message.
run "$R" run-once --from-fs "$WORK/tasks/spin" --input-json '{"n": 7}' --timeout 1
expect_rc 1 "run-once of a runaway task"
expect_err_contains "[spin] info: spin starts 7" "run-once keeps the first line after a timeout"
expect_err_contains "[spin] warn: spin line 2" "run-once keeps the second line"
expect_err_contains "timed out after 1 s" "run-once reports the timeout"
run "$R" run-once --from-fs "$WORK/tasks/bomb" --input-json '{}' --memory-mb 32 --timeout 20
expect_rc 1 "run-once of a memory bomb"
expect_err_contains "[bomb] info: bomb allocates" "run-once keeps the line printed before the memory bomb"
run "$R" run-once --from-fs "$WORK/tasks/chatty" --input-json '{}' --timeout 2
expect_rc 1 "run-once of a task logging in a loop"
n=$(grep -c '^\[chatty\] info: line ' <<<"$ERR")
CHECKS=$((CHECKS + 1))
[ "$n" = 10000 ] && pass "run-once keeps 10000 lines" || fail "run-once kept $n lines, not 10000"
expect_err_contains "[chatty] warn: [console output cut here" "run-once says where the lines were cut"

# serve: the coordinator has the lines when it kills the worker.
start_serve "  timeout: 1s
  memory_limit: 32MiB"
execution_of() { "${OPS[@]}" jobs show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["executionId"])'; }

job_id() { python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$OUT"; }
run "${OPS[@]}" jobs submit --task spin --input-json '{"n": 9}' --wait --json
expect_rc 1 "a runaway job fails"
run "${OPS[@]}" executions show "$(execution_of "$(job_id)")"
expect_out_contains "timed out after 1 s" "executions show: the timeout"
CHECKS=$((CHECKS + 1))
if grep -qE '\{"level":"info","message":"spin starts 9"(,"time":[0-9]+)?\},\{"level":"warn","message":"spin line 2"' <<<"$OUT"; then
  pass "executions show: the lines printed before the timeout kill, in order"
else fail "executions show lacks the lines before the kill: $OUT"; fi

run "${OPS[@]}" jobs submit --task bomb --input-json '{}' --wait --json
expect_rc 1 "a memory bomb fails"
run "${OPS[@]}" executions show "$(execution_of "$(job_id)")"
expect_out_contains "memory limit of 32 MiB exceeded" "executions show: the memory limit"
expect_out_contains '"message":"bomb allocates"' "executions show: the line printed before the memory bomb"

run "${OPS[@]}" jobs submit --task chatty --input-json '{}' --wait --json
expect_rc 1 "a job logging in a loop fails at its timeout"
execution=$(execution_of "$(job_id)")
n=$("${OPS[@]}" executions show "$execution" --json | python3 -c '
import json, sys
logs = json.load(sys.stdin)["logs"]
print(len(logs), logs[0]["message"], logs[9999]["message"], logs[-1]["level"], logs[-1]["message"][:24])')
CHECKS=$((CHECKS + 1))
[ "$n" = "10001 line 0 line 9999 warn [console output cut here" ] && pass "serve keeps 10000 lines and the cut note" ||
  fail "serve kept: $n"

kill "$SERVE"; wait "$SERVE" 2>/dev/null
finish
