#!/usr/bin/env bash
# Task authoring through MCP (ratchet_create_task, _edit_task, _validate_task, _run_task_tests)
# and so through ratchet.engine's task_write, task_validate and task_test: each bad input (a
# name that is not a folder name, a path traversal, an unusable schema, a syntax error, a
# failing test) is an isError result naming the problem, and nothing is written or stored; a
# good task is written into engine.writable_tasks, stored (`ratchet tasks list` shows it),
# runs, and an edit stores a new version. Without engine.writable_tasks the tools say how to
# enable authoring.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
TASKS=("--tasks" "$RATCHET_SOURCE_DIR/sample")
INIT='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}'
source "$RATCHET_SOURCE_DIR/tests/integration/mcp_lib.sh"

# call ID TOOL ARGUMENTS_JSON: a tools/call, waiting for its answer (in OUT).
call() {
  send "{\"jsonrpc\":\"2.0\",\"id\":$1,\"method\":\"tools/call\",\"params\":{\"name\":\"$2\",\"arguments\":$3}}"
  answer "$1"
}
SCHEMAS='"input_schema":{"type":"object","properties":{"a":{"type":"number"},"b":{"type":"number"}},"required":["a","b"]},"output_schema":{"type":"object","properties":{"product":{"type":"number"}},"required":["product"]}'
CODE='"code":"function main(input) {\n  return {product: input.a * input.b};\n}\n"'
TESTS='"test_cases":[{"name":"two-three","input":{"a":2,"b":3},"expected_output":{"product":6}},{"name":"not-a-number","input":{"a":"x","b":1},"should_fail":true}]'
AUTHORED=$WORK/authored

# ---- authoring disabled --------------------------------------------------------------------
start_mcp off
send "$INIT"
answer 1
call 2 ratchet_create_task "{\"name\":\"mul\",\"description\":\"d\",$CODE,$SCHEMAS}"
expect_out_contains '"isError":true' "create_task without engine.writable_tasks is a tool error"
expect_out_contains 'task authoring is disabled: set engine.writable_tasks to a folder' \
  "the error says how to enable authoring"
stop_mcp

# ---- authoring enabled ---------------------------------------------------------------------
start_mcp on "  writable_tasks: $AUTHORED
"
send "$INIT"
answer 1
call 2 ratchet_create_task "{\"name\":\"../x\",\"description\":\"d\",$CODE,$SCHEMAS}"
expect_out_contains '"isError":true' "a name with ../ is refused"
expect_out_contains 'at /name: the task name is required and must match [A-Za-z0-9_-]{1,100}' \
  "the refusal points at /name"
call 3 ratchet_create_task "{\"name\":\"$(printf 'n%.0s' {1..101})\",\"description\":\"d\",$CODE,$SCHEMAS}"
expect_out_contains 'at /name: the task name is required and must match' \
  "a name of 101 characters is refused"
call 4 ratchet_create_task '{"name":"sch","description":"d","code":"function main(i) { return i; }","input_schema":{"type":"nonsense"},"output_schema":{"type":"object"}}'
expect_out_contains 'at /inputSchema: sch/input.schema.json: not a usable JSON Schema: /type: type must be one of' \
  "an unusable input schema is refused, naming the file and the keyword"
call 5 ratchet_create_task "{\"name\":\"syn\",\"description\":\"d\",\"code\":\"function main(input) {\\n  var x = ;\\n  return x;\\n}\\n\",$SCHEMAS}"
expect_out_contains 'at /code: syn/main.js: compile error: main.js:2:11: Unexpected token' \
  "a syntax error is refused with its line and column"
call 6 ratchet_create_task "{\"name\":\"mul\",\"description\":\"d\",$CODE,$SCHEMAS,\"test_cases\":[{\"name\":\"wrong\",\"input\":{\"a\":2,\"b\":3},\"expected_output\":{\"product\":7}}]}"
expect_out_contains '1 test of task mul failed; nothing was stored at /tests/0: test wrong failed: /product: expected 7, got 6' \
  "a failing test case is reported with its difference"
CHECKS=$((CHECKS + 1))
if [ -z "$(ls -A "$AUTHORED")" ]; then pass "nothing was left in the writable folder"
else fail "the writable folder holds: $(ls -A "$AUTHORED")"; fi
run "$RATCHET_BIN" --data-dir "$WORK/data-on" tasks list
CHECKS=$((CHECKS + 1))
if grep -qE '^(mul|syn|sch) ' <<<"$OUT"; then fail "a refused task was stored: $OUT"
else pass "no refused task is stored"; fi

call 7 ratchet_create_task "{\"name\":\"mul\",\"description\":\"multiply\",$CODE,$SCHEMAS,$TESTS}"
expect_out_contains '"isError":false' "a valid task with passing tests is created"
expect_out_contains '"tests":{"total":2,"passed":2,"failed":0' "its two tests ran and passed"
expect_out_contains "\"path\":\"$AUTHORED/mul\"" "it was written into the writable folder"
run "$RATCHET_BIN" --data-dir "$WORK/data-on" tasks list
CHECKS=$((CHECKS + 1))
if grep -qE '^mul +0\.1\.0 ' <<<"$OUT"; then pass "\`ratchet tasks list\` shows mul 0.1.0"
else fail "tasks list lacks mul 0.1.0: $OUT"; fi
run "$RATCHET_BIN" test --from-fs "$AUTHORED/mul"
expect_out_contains '2 passed, 0 failed' "\`ratchet test\` passes on the written folder"
call 8 ratchet_execute_task '{"task_id":"mul","input":{"a":4,"b":5}}'
expect_out_contains '"structuredContent":{"product":20}' "the new task runs"
call 9 ratchet_create_task "{\"name\":\"mul\",\"description\":\"d\",$CODE,$SCHEMAS}"
expect_out_contains 'task mul already exists (version 0.1.0); edit it instead' \
  "creating it again is a conflict"

call 10 ratchet_edit_task '{"task_id":"mul","code":"function main(input) {\n  return {product: input.b * input.a};\n}\n"}'
expect_out_contains '"isError":false' "an edit of the code is stored"
expect_out_contains '"version":"0.1.1"' "an edit without a version bumps 0.1.0 to 0.1.1"
expect_out_contains '"availableVersions":["0.1.0","0.1.1"]' "both versions are stored"
expect_out_contains '"tests":{"total":2,"passed":2' "the edit kept the folder's tests and ran them"
call 11 ratchet_edit_task '{"task_id":"mul","version":"0.1.0","description":"again"}'
expect_out_contains 'task mul already has version 0.1.0; give the edit a new version' \
  "an edit to a stored version is a conflict"
call 12 ratchet_edit_task '{"task_id":"nope","code":"function main(){return {}}"}'
expect_out_contains '"isError":true' "editing an unknown task is a tool error"

call 13 ratchet_validate_task '{"task_id":"mul"}'
expect_out_contains '"valid":true' "validate_task: the new task is valid"
expect_out_contains '"checked":"source"' "validate_task checks the task's folder"
call 14 ratchet_validate_task '{"task_id":"addition"}'
expect_out_contains '"task":"addition","version":"1.0.0","checked":"source"' \
  "validate_task works on a task of a read-only source"
call 15 ratchet_run_task_tests '{"task_id":"mul"}'
expect_out_contains '"task_name":"mul","version":"0.1.1","total_tests":2,"passed":2,"failed":0' \
  "run_task_tests runs the folder's tests"
expect_out_contains '"all_passed":true' "run_task_tests: all passed"
call 16 ratchet_run_task_tests '{"task_id":"mul","test_names":["two-three"]}'
expect_out_contains '"total_tests":1,"passed":1' "run_task_tests runs only the named test"
call 17 ratchet_run_task_tests '{"task_id":"mul","test_names":["nope"]}'
expect_out_contains "task mul has no test named 'nope' (tests: not-a-number, two-three)" \
  "an unknown test name is refused, listing the tests"
# A test that fails now: its folder is changed behind the server's back.
printf '{"input":{"a":1,"b":1},"expected_output":{"product":3}}\n' >"$AUTHORED/mul/tests/off.json"
call 18 ratchet_run_task_tests '{"task_id":"mul"}'
expect_out_contains '"isError":true' "a failing test makes run_task_tests a tool error"
expect_out_contains '"name":"off","status":"failed"' "the failing test is named"
expect_out_contains '"error":"/product: expected 3, got 1"' "with its difference"
# A task of a read-only source (the samples) edited: the new version lands in the writable
# folder, with the tests of the folder it came from.
call 19 ratchet_edit_task '{"task_id":"addition","description":"Adds two numbers (edited)"}'
expect_out_contains '"version":"1.0.1"' "a task of a read-only source is edited into a new version"
expect_out_contains '"tests":{"total":3,"passed":3' "the edit ran the tests of the folder it came from"
CHECKS=$((CHECKS + 1))
if [ -f "$AUTHORED/addition/tests/test-001.json" ]; then pass "the edited task's folder holds its tests"
else fail "no $AUTHORED/addition/tests/test-001.json"; fi
stop_mcp
finish
