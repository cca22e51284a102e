#!/usr/bin/env bash
# The task commands as a task author uses them: run-once, validate, test, generate, and the
# limits (a runaway loop and a memory bomb are stopped with clear messages).
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
S=$RATCHET_SOURCE_DIR/sample
R=$RATCHET_BIN

# mktask DIR 'main.js source' [input schema]: a minimal task folder.
mktask() {
  mkdir -p "$1/tests"
  printf '{"name": "%s", "version": "1.0.0"}\n' "$(basename "$1")" >"$1/metadata.json"
  printf '%s\n' "$2" >"$1/main.js"
  [ -n "${3:-}" ] && printf '%s\n' "$3" >"$1/input.schema.json"
  return 0
}

run "$R" run-once --from-fs "$S/addition" --input-json '{"num1": 2, "num2": 40}'
expect_rc 0 "run-once addition"
CHECKS=$((CHECKS + 1))
if [ "$(tr -d ' \n' <<<"$OUT")" = '{"sum":42}' ]; then pass "output is {sum: 42}"; else fail "output: $OUT"; fi

printf '{"num1": 1.5, "num2": 2}' >"$WORK/in.json"
run "$R" run-once --from-fs "$S/addition" --input-file "$WORK/in.json"
expect_rc 0 "run-once --input-file"
expect_out_contains "3.5" "input file used"

run "$R" run-once --from-fs "$S/addition" --input-json '{"num1": "x", "num2": 1}'
expect_rc 1 "input invalid"
expect_err_contains "input invalid: does not match input.schema.json: /num1" "input invalid names the pointer"

run "$R" run-once --from-fs "$S/addition" --input-json '{"num1": '
expect_rc 1 "malformed input JSON"
expect_err_contains "input invalid: the input is not valid JSON" "malformed input message"

run "$R" run-once --from-fs "$S/order-check" --input-json '{"sku": "bad", "quantity": 1}'
expect_rc 1 "typed error"
expect_err_contains "runtime error: ValidationError: sku must look like ABC-1234, got bad" "typed error message"

run "$R" run-once --from-fs "$S/greeting.zip" --input-json '{"name": "Zip"}'
expect_rc 0 "run-once from a zip"
expect_out_contains "Hello, Zip!" "zip task output"

mktask "$WORK/logs" 'function main(input) { console.log("to the log", 1); console.error("oops"); return {ok: true}; }'
run "$R" run-once --from-fs "$WORK/logs"
expect_rc 0 "console task"
expect_err_contains "[logs] info: to the log 1" "console.log on stderr"
expect_err_contains "[logs] error: oops" "console.error on stderr"
expect_out_lacks "to the log" "logs never on stdout"

mktask "$WORK/syntax" 'function main(input) { return {a: 1 }'
run "$R" run-once --from-fs "$WORK/syntax"
expect_rc 1 "compile error"
expect_err_contains "compile error: " "compile error kind"
expect_err_contains "main.js" "compile error names the file"

mktask "$WORK/thrower" $'function helper() { throw new TypeError("bad thing"); }\nfunction main(input) { return helper(); }'
run "$R" run-once --from-fs "$WORK/thrower"
expect_rc 1 "runtime error"
expect_err_contains "runtime error: TypeError: bad thing" "runtime error message"
expect_err_contains "helper" "runtime error shows the JS stack"

mktask "$WORK/undef" 'function main(input) { }'
run "$R" run-once --from-fs "$WORK/undef"
expect_rc 1 "undefined result"
expect_err_contains "output invalid: " "undefined result kind"

mktask "$WORK/badout" 'function main(input) { return {sum: "nope"}; }'
printf '{"type": "object", "properties": {"sum": {"type": "number"}}, "required": ["sum"]}' >"$WORK/badout/output.schema.json"
run "$R" run-once --from-fs "$WORK/badout"
expect_rc 1 "output invalid"
expect_err_contains "output invalid: does not match output.schema.json: /sum" "output invalid message"

# A runaway loop is killed at the timeout, not left to run: the whole command (start-up
# included) ends well before twice the timeout, also on a loaded CI machine (more slack under
# sanitizers). This checks that the limit holds, not how fast the kill is.
slack=800
[[ "${RATCHET_C_FLAGS:-}" == *sanitize* ]] && slack=1500
mktask "$WORK/spin" 'function main(input) { for (;;) {} }'
t0=$(date +%s%N)
run "$R" run-once --from-fs "$WORK/spin" --timeout 1
elapsed=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_rc 1 "runaway loop"
expect_err_contains "timed out after 1 s" "timeout message"
CHECKS=$((CHECKS + 1))
if [ "$elapsed" -le $((1000 + slack)) ]; then pass "killed after ${elapsed} ms"; else fail "took ${elapsed} ms"; fi

mktask "$WORK/bomb" 'function main(input) { var a = []; for (;;) { a.push({n: a.length, s: "xxxxxxxxxxxxxxxx" + a.length}); } }'
run "$R" run-once --from-fs "$WORK/bomb" --memory-mb 16 --timeout 20
expect_rc 1 "memory bomb"
expect_err_contains "out of memory: " "memory bomb kind"
expect_err_contains "16 MiB" "memory bomb names the limit"

mktask "$WORK/deep" 'function f(n) { return f(n + 1); } function main(input) { return {d: f(0)}; }'
run "$R" run-once --from-fs "$WORK/deep"
expect_rc 1 "runaway recursion"
expect_err_contains "nested calls" "deep recursion explained in plain words"

run "$R" run-once --from-fs "$WORK/nope"
expect_rc 1 "missing task folder"
expect_err_contains "$WORK/nope" "missing task names the path"
run "$R" run-once
expect_rc 2 "run-once without --from-fs"
run "$R" run-once --from-fs "$S/addition" --timeout abc
expect_rc 2 "bad --timeout"
expect_err_contains "--timeout expects a positive number, got 'abc'" "bad --timeout message"
run "$R" run-once --from-fs "$S/addition" --bogus 1
expect_rc 2 "unknown run-once flag"

# test: the samples pass; a wrong expectation fails with the difference.
run "$R" test --from-fs "$S"
expect_rc 0 "sample tests pass"
expect_out_contains "PASS addition/test-001" "per-test lines"
expect_out_contains "PASS weather-api/test-london" "mocked fetch test passes"
expect_out_contains "PASS greeting/test-001" "zip task tests run"
CHECKS=$((CHECKS + 1))
if grep -Eq '^[0-9]+ passed, 0 failed, 0 skipped$' <<<"$OUT"; then pass "closing line"; else fail "closing line: $OUT"; fi

cp -r "$S/addition" "$WORK/addition"
echo '{"input": {"num1": 1, "num2": 2}, "expected_output": {"sum": 42}}' >"$WORK/addition/tests/test-004-fail.json"
run "$R" test --from-fs "$WORK/addition"
expect_rc 1 "failing test"
expect_out_contains "FAIL test-004-fail" "failing test named"
expect_out_contains "/sum: expected 42, got 3" "difference shown"
expect_out_contains "3 passed, 1 failed" "closing counts"

mktask "$WORK/unmocked" 'function main(input) { return fetch("https://example.invalid/x", {method: "POST"}).body; }'
echo '{"input": {}, "expected_output": {}, "mock": {"http": {"url": "https://example.invalid/y", "response": {}}}}' >"$WORK/unmocked/tests/t.json"
run "$R" test --from-fs "$WORK/unmocked"
expect_rc 1 "unmatched mock"
expect_out_contains "POST https://example.invalid/x" "unmatched request named"

# validate: the samples are fine; problems are listed one per line.
run "$R" validate --from-fs "$S"
expect_rc 0 "samples validate"
expect_out_contains "OK (addition 1.0.0, 3 tests)" "validate says OK"
mkdir -p "$WORK/broken/tests"
echo '{"name": "broken"}' >"$WORK/broken/metadata.json"
echo 'function main( {' >"$WORK/broken/main.js"
echo '{"type": 12}' >"$WORK/broken/input.schema.json"
run "$R" validate --from-fs "$WORK/broken"
expect_rc 1 "broken task"
expect_out_contains "broken/metadata.json: missing required field 'version'" "missing version reported"
expect_out_contains "broken/input.schema.json: not a usable JSON Schema" "bad schema reported too"
expect_out_contains "broken/main.js: compile error" "syntax error reported too"
expect_err_contains "3 problems found" "problem count"
mktask "$WORK/badschema" 'function main(input) { return 1; }' '{"type": 12}'
run "$R" validate --from-fs "$WORK/badschema"
expect_rc 1 "unusable schema"
expect_out_contains "input.schema.json: not a usable JSON Schema" "unusable schema reported"
run "$R" validate --from-fs "$WORK/syntax"
expect_rc 1 "validate finds a syntax error"
expect_out_contains "compile error" "validate reports compile errors"

# generate: a new task validates and passes its test as generated.
run "$R" generate task --path "$WORK/gen" --label "Say Hello" --version 0.2.0
expect_rc 0 "generate task"
run "$R" validate --from-fs "$WORK/gen"
expect_rc 0 "generated task validates"
run "$R" test --from-fs "$WORK/gen"
expect_rc 0 "generated task passes its test"
expect_out_contains "1 passed, 0 failed" "generated test ran"
run "$R" generate task --path "$WORK/gen"
expect_rc 1 "generate refuses to overwrite"
finish
