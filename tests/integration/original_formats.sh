#!/usr/bin/env bash
# The original Ratchet's task formats and test conventions, with task folders written in its
# formats (tests/fixtures/original-tasks): meta.yaml + task.js, CommonJS entry points in both
# formats, tests that are skipped or expect an error, messages about zipped tasks naming the
# zip and the path inside it (never the extraction folder) in validate, test, run-once and
# serve's jobs, and the warning for cron expressions cronie reads differently.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
FIX=$RATCHET_SOURCE_DIR/tests/fixtures/original-tasks
# zip_dir DIR ZIP: DIR's files at the root of ZIP (python3: the zip tool may be absent).
zip_dir() {
  python3 - "$1" "$2" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w") as z:
    for root, dirs, files in os.walk(src):
        for f in sorted(files):
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, src))
PY
}

# ---- meta.yaml + task.js (module.exports = { main }) -----------------------------------------
run "$R" validate --from-fs "$FIX/yaml-sum"
expect_rc 0 "validate a meta.yaml task"
expect_out_contains "yaml-sum: OK (yaml-sum 2.1, 5 tests)" "name, version (a YAML number kept as written), tests"
run "$R" run-once --from-fs "$FIX/yaml-sum" --input-json '{"x": 2, "y": 40}'
expect_rc 0 "run-once a meta.yaml task"
expect_out_contains '"total": 42' "module.exports = { main } is called"
run "$R" run-once --from-fs "$FIX/yaml-sum" --input-json '{"x": 2}'
expect_rc 1 "the short form's required field"
expect_err_contains 'input invalid: does not match meta.yaml inputs: (root): required: required property "y" is missing' "the schema is named after meta.yaml's inputs"

# tests: one passes, one has nothing to check (skipped, with the reason), three expect an error
run "$R" test --from-fs "$FIX/yaml-sum"
expect_rc 0 "a skipped test does not fail the run"
expect_out_contains "PASS test-001-small" "expected_output compared"
expect_out_contains "SKIP test-002-no-expectation
  no expected_output (or expected) or expected_error to check the run against" "skipped with the reason"
expect_out_contains "PASS test-003-negative-by-name" "expected_error matches the error's name"
expect_out_contains "PASS test-004-negative-by-message" "expected_error matches a part of the message"
expect_out_contains "PASS test-005-input-invalid" "expected_error {message} matches an input refused by the schema"
CHECKS=$((CHECKS + 1))
if [ "$(tail -n 1 <<<"$OUT")" = "4 passed, 0 failed, 1 skipped" ]; then pass "summary line counts the skipped test"
else fail "summary line: $(tail -n 1 <<<"$OUT")"; fi

# an expected error that does not come, or comes otherwise, fails the test
cp -r "$FIX/yaml-sum" "$WORK/sum"
echo '{"input": {"x": 1, "y": 2}, "expected_error": "ValidationError"}' >"$WORK/sum/tests/test-006-no-error.json"
echo '{"input": {"x": -1, "y": 2}, "expected_error": {"name": "TypeError"}}' >"$WORK/sum/tests/test-007-other.json"
run "$R" test --from-fs "$WORK/sum"
expect_rc 1 "unmet expected_error fails"
expect_out_contains 'FAIL test-006-no-error (' "the test that succeeded is named"
expect_out_contains '  expected_error "ValidationError", but the run succeeded with {"total":3}' "says the run succeeded"
expect_out_contains '  expected_error {"name":"TypeError"}, but the run failed otherwise: runtime error: ValidationError: negative numbers are not summed: -1, 2' \
  "says how the run failed instead"
expect_out_contains "4 passed, 2 failed, 1 skipped" "summary with failures and skips"

# whole schemas in YAML, the entry file in a subfolder, tests in meta.yaml, exports.main
run "$R" validate --from-fs "$FIX/yaml-full"
expect_rc 0 "validate meta.yaml with input_schema/output_schema and test_cases"
run "$R" test --from-fs "$FIX/yaml-full"
expect_rc 0 "test_cases run"
expect_out_contains "PASS world" "a test case passes"
expect_out_contains "PASS refused" "expected_error matches the failure's kind (input invalid)"
expect_out_contains "SKIP case-003" "a test case without expectation is skipped"
expect_out_contains "1 skipped" "counted"
run "$R" run-once --from-fs "$FIX/yaml-full" --input-json '{"who": "you"}'
expect_rc 0 "exports.main in src/greet.js runs"
expect_out_contains '"greeting": "Hello, you"' "its output"

# problems in meta.yaml: file, line and key
run "$R" validate --from-fs "$FIX/yaml-bad"
expect_rc 1 "a bad meta.yaml"
expect_out_contains "yaml-bad/meta.yaml:5: inputs.count.type: unknown type \"nubmer\" (string, number, integer, boolean, object, array, null or any)" \
  "a misspelt type: file, line, key"
expect_out_contains "yaml-bad/meta.yaml:6: inputs.count.required: must be true or false" "required must be a boolean"
expect_out_contains "yaml-bad/meta.yaml:9: inputs.colour.color: unknown key" "an unknown key of a field"
expect_out_contains "yaml-bad/meta.yaml:1: name: must match ^[A-Za-z0-9_-]+\$, not \"yaml bad\"" "a bad name"
expect_out_contains "yaml-bad/meta.yaml:10: outputs: must be a map of fields" "outputs that are not a map"
expect_out_contains "yaml-bad/meta.yaml:11: entrypoint: must be a file inside the task folder" "an entry outside the folder"

# ---- CommonJS in the legacy format -----------------------------------------------------------
for t in cjs-function cjs-exports-main cjs-object-this; do
  run "$R" test --from-fs "$FIX/$t"
  expect_rc 0 "$t: its test passes"
  expect_out_contains "1 passed, 0 failed, 0 skipped" "$t: summary"
done
mkdir -p "$WORK/nothing"
printf '{"name": "nothing", "version": "1"}\n' >"$WORK/nothing/metadata.json"
printf 'module.exports = { run: function () { return 1; } };\nvar x;\n' >"$WORK/nothing/main.js"
run "$R" validate --from-fs "$WORK/nothing"
expect_rc 1 "exports without a main"
expect_out_contains "nothing/main.js: compile error: main.js defines no main function" "nothing to call is reported"

# A collection holds both formats.
mkdir -p "$WORK/coll"
cp -r "$FIX/yaml-sum" "$FIX/cjs-function" "$WORK/coll/"
run "$R" test --from-fs "$WORK/coll"
expect_rc 0 "a collection of both formats"
expect_out_contains "PASS yaml-sum/test-001-small" "meta.yaml task found in a collection"
expect_out_contains "PASS cjs-function/test-001" "metadata.json task found beside it"

# ---- zips: the zip and the path inside it ----------------------------------------------------
cd "$WORK" || exit 1
zip_dir "$FIX/zip-greeting" greeting.zip
run "$R" test --from-fs greeting.zip
expect_rc 1 "a zipped task whose test throws"
expect_out_contains "PASS test-ok" "the passing test"
expect_out_contains "	at main (greeting.zip!main.js:3)" "the stack trace names the zip and main.js in it"
run "$R" run-once --from-fs greeting.zip --input-json '{}'
expect_rc 1 "run-once of the zip"
expect_err_contains "at main (greeting.zip!main.js:3)" "run-once's stack trace names the zip"
mkdir -p broken && cp -r "$FIX/zip-greeting/." broken/
printf 'function main(input) {\n  return {a: 1\n}\n' >broken/main.js
zip_dir broken broken.zip
run "$R" validate --from-fs broken.zip
expect_rc 1 "a zipped syntax error"
expect_out_contains "broken.zip!main.js: compile error: broken.zip!main.js:4:1: " "validate names the zip, the file, line and column"
run "$R" test --from-fs broken.zip
expect_out_contains "compile error: broken.zip!main.js:4:1: " "test names the zip"
run "$R" run-once --from-fs broken.zip --input-json '{}'
expect_err_contains "compile error: broken.zip!main.js:4:1: " "run-once names the zip"
run "$R" compile --from-fs broken.zip
expect_err_contains "compile error: broken.zip!main.js:4:1: " "compile names the zip"
mkdir -p nested/greet && cp -r "$FIX/yaml-bad/." nested/greet/
python3 - <<'PY'
import zipfile
with zipfile.ZipFile("nested.zip", "w") as z:
    z.write("nested/greet/meta.yaml", "greet/meta.yaml")
    z.write("nested/greet/task.js", "greet/task.js")
PY
run "$R" validate --from-fs nested.zip
expect_out_contains "nested.zip!greet/meta.yaml:5: inputs.count.type: unknown type" "a meta.yaml problem inside a zip's folder"
for f in greeting broken nested; do
  run "$R" validate --from-fs $f.zip
  CHECKS=$((CHECKS + 1))
  if grep -q "ratchet-task-" <<<"$OUT $ERR"; then fail "$f.zip: a message names the extraction folder: $OUT $ERR"
  else pass "$f.zip: no message names the extraction folder"; fi
done
cd - >/dev/null || exit 1

# serve: a job of a zipped task and of a meta.yaml task; their errors name the files.
mkdir -p "$WORK/tasks"
cp "$WORK/greeting.zip" "$WORK/tasks/"
cp -r "$FIX/yaml-sum" "$WORK/tasks/"
start_serve "  timeout: 10s"
run "${OPS[@]}" jobs submit --task greeting --input-json '{"name": {"first": "Ada"}}' --wait --json
expect_rc 0 "serve runs the zipped task"
expect_out_contains '"greeting": "Hello, Ada"' "its output"
run "${OPS[@]}" jobs submit --task greeting --input-json '{}' --wait --json
expect_rc 1 "a failing job of the zipped task"
expect_out_contains "greeting.zip!main.js:3" "the job's error names the zip and main.js in it"
expect_out_lacks "ratchet-task-" "and not the extraction folder"
run "${OPS[@]}" jobs submit --task yaml-sum --input-json '{"x": -5, "y": 1}' --wait --json
expect_rc 1 "a failing job of the meta.yaml task"
expect_out_contains "ValidationError" "its error"
expect_out_contains "task.js:5" "the stack trace names task.js"

# ---- cron expressions cronie reads differently -----------------------------------------------
run "$R" schedules check --cron '0 0 */2 * MON'
expect_rc 0 "schedules check accepts the expression"
expect_err_contains "ratchet: warning: cron expression '0 0 */2 * MON' is read differently by cronie and Vixie cron: its day-of-month field '*/2' starts with '*' beside the restricted day-of-week field 'MON'" \
  "the warning names the fields"
expect_err_contains "  here (the reading this schedule keeps): a day matches when EITHER field matches (day-of-month */2 or day-of-week MON); next fire times: " \
  "this cron's reading with its next fire times"
expect_err_contains "  cronie and Vixie cron: a day field starting with '*' counts as unrestricted, so BOTH must match (day-of-month */2 and day-of-week MON); there: " \
  "cronie's reading"
expect_err_contains "  to be read as here by every cron, write it '0 0 1-31/2 * MON'" "the portable spelling"
CHECKS=$((CHECKS + 1))
if [ "$(wc -l <<<"$OUT")" = 5 ] && grep -qE '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T00:00:00\.000Z$' <<<"$OUT"; then
  pass "check prints the next five fire times"; else fail "check output: $OUT"; fi
run "$R" schedules check --cron '0 0 1-31/2 * MON'
expect_rc 0 "the portable spelling"
CHECKS=$((CHECKS + 1))
if [ -z "$ERR" ]; then pass "no warning for the portable spelling"; else fail "unexpected: $ERR"; fi
run "$R" schedules check --cron '0 0 */2 * MOX'
expect_rc 1 "a bad expression"
expect_err_contains "MOX" "names what is wrong"
run "${OPS[@]}" schedules add --name odd --task yaml-sum --cron '0 0 */2 * MON' --input-json '{"x": 1, "y": 1}'
expect_rc 0 "schedules add keeps the expression"
expect_err_contains "ratchet: warning: cron expression '0 0 */2 * MON' is read differently" "schedules add warns"
run "${OPS[@]}" schedules add --name even --task yaml-sum --cron '0 0 2-30/2 * *' --input-json '{"x": 1, "y": 1}'
expect_rc 0 "a plain schedule"
CHECKS=$((CHECKS + 1))
if ! grep -q "warning" <<<"$ERR"; then pass "no warning for it"; else fail "unexpected: $ERR"; fi

finish
