#!/usr/bin/env bash
# Integers beyond JavaScript's safe range (±(2^53 - 1)): refused in a task's input with a
# message naming where, in run-once, `ratchet test`'s inputs and `jobs submit`, never rounded;
# an output integer beyond 64 bits (JSON.stringify(1e20)) keeps its digits instead of being
# clamped by json-c.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
mkdir -p "$WORK/tasks/echo"
printf '{"name": "echo", "version": "1.0.0"}\n' >"$WORK/tasks/echo/metadata.json"
echo 'function main(input) { return {input: input, big: 1e20, neg: -1e19, huge: 1e21}; }' >"$WORK/tasks/echo/main.js"
T=$WORK/tasks/echo

run "$R" run-once --from-fs "$T" --input-json '{"id": 12345678901234567890}'
expect_rc 1 "run-once refuses an input integer beyond 2^53"
expect_err_contains "input invalid: /id: integer 12345678901234567890 is outside JavaScript's safe range (±9007199254740991) and would lose precision; pass it as a string" \
  "run-once names the integer and where it is"
run "$R" run-once --from-fs "$T" --input-json '{"a": [1, {"b/c": -9007199254740992}]}'
expect_rc 1 "run-once refuses a nested negative one"
expect_err_contains "/a/1/b~1c: integer -9007199254740992 is outside" "the JSON pointer of a nested integer"
run "$R" run-once --from-fs "$T" --input-json '123456789012345678901234567890'
expect_rc 1 "run-once refuses a top-level one beyond 64 bits"
expect_err_contains "/: integer 123456789012345678901234567890 is outside" "the digits as written, not clamped"

run "$R" run-once --from-fs "$T" --input-json '{"max": 9007199254740991, "min": -9007199254740991, "f": 1.5e300, "s": "12345678901234567890"}'
expect_rc 0 "the safe range, floats and strings pass"
expect_out_contains '"max": 9007199254740991' "the largest safe integer is kept exactly"
expect_out_contains '"min": -9007199254740991' "the smallest safe integer is kept exactly"
expect_out_contains '"s": "12345678901234567890"' "a big integer as a string passes through untouched"
expect_out_contains '"big": 100000000000000000000' "an output integer beyond 64 bits keeps its digits"
expect_out_contains '"neg": -10000000000000000000' "a negative one too"
expect_out_lacks '18446744073709551615' "nothing is clamped to 2^64 - 1"

OPS=("$R" --data-dir "$WORK/data" --tasks "$WORK/tasks")
run "${OPS[@]}" jobs submit --task echo --input-json '{"id": 9007199254740993}'
expect_rc 1 "jobs submit refuses an input integer beyond 2^53"
expect_err_contains "--input-json: input invalid: /id: integer 9007199254740993 is outside JavaScript's safe range" \
  "jobs submit says why"
printf '{"id": 1}\n{"id": 99999999999999999}\n' >"$WORK/batch.jsonl"
run "${OPS[@]}" jobs submit --task echo --batch "$WORK/batch.jsonl"
expect_rc 1 "a batch with one such input is refused"
expect_err_contains "batch.jsonl:2: input invalid: /id: integer 99999999999999999 is outside" "the batch names the line"
run "${OPS[@]}" jobs list --json
expect_out_contains '"total": 0' "nothing was queued"
# A task whose output is a bare number, string, boolean or null (top-level scalars end at the
# end of the text, which the output parser must accept).
mkdir -p "$WORK/tasks/scalar"
printf '{"name": "scalar", "version": "1.0.0"}\n' >"$WORK/tasks/scalar/metadata.json"
echo 'function main(input) { return input.v; }' >"$WORK/tasks/scalar/main.js"
for v in 6 -2.5 1e20 '"x"' true null; do
  run "$R" run-once --from-fs "$WORK/tasks/scalar" --input-json "{\"v\": $v}"
  expect_rc 0 "a bare $v as the output"
done
expect_out_contains 'null' "null is printed"

finish
