#!/usr/bin/env bash
# serve follows its task folders (engine.watch, the watcher-inotify plugin): an edit of main.js
# (written in place or saved by rename) is what the next job runs; a burst of 1,000 writes is
# one reload; a syntax error keeps the last good version (error logged and shown by
# `tasks show`) until fixed; jobs queued or running before a reload keep their version; a
# removed task is disabled, a removed and recreated source folder is watched again; a zip
# replaced in place is reloaded once; an edit undone runs the original again. Every wait is on a condition with a deadline.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
[ -f "$RATCHET_BUILD_DIR/plugins/watcher-inotify.so" ] || { echo "watcher-inotify not built: skipped"; exit 0; }
S=$RATCHET_SOURCE_DIR/sample
mkdir -p "$WORK/tasks"
cp -r "$S/addition" "$WORK/tasks/addition"
# slow: busy for 1.5 s, then answers which code ran.
mkdir -p "$WORK/tasks/slow"
printf '{"name": "slow", "version": "1.0.0"}\n' >"$WORK/tasks/slow/metadata.json"
slow_js() { printf 'function main(input) { var end = Date.now() + %s; while (Date.now() < end) {} return {code: "%s"}; }\n' "$1" "$2" >"$WORK/tasks/slow/main.js"; }
slow_js 1500 v1

start_serve "  timeout: 30s"
# Operator commands without --tasks: they must see what serve stored, not sync the folders.
Q=("$RATCHET_BIN" --config "$WORK/r.yaml" --data-dir "$WORK/data")
LOG=$WORK/serve.jsonl
grep -q "watching $WORK/tasks for task changes" "$LOG" && pass "serve watches the task source" ||
  fail "no 'watching' line in the log"

count() { grep -c -- "$1" "$LOG"; }
# wait_count TEXT N: until the log holds at least N lines with TEXT (10 s).
at_least() { [ "$(count "$1")" -ge "$2" ]; }
wait_count() { wait_for 10 at_least "$1" "$2" || fail "waited for $2 log line(s) with '$1', have $(count "$1")"; }
sum_of() { # sum_of A B: what the next addition job answers
  "${Q[@]}" jobs submit --task addition --input-json "{\"num1\": $1, \"num2\": $2}" --wait --json |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["output"]["sum"])'
}
field_of() { python3 -c "import json,sys; print(json.load(sys.stdin)$2)" <<<"$1"; }
expect_eq() { CHECKS=$((CHECKS + 1)); if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: got '$1', expected '$2'"; fi; }
RELOADED="reloaded task addition"

expect_eq "$(sum_of 1 2)" 3 "the task as loaded at start"

# 1. An edit written in place.
edited=$(sed 's/sum: num1 + num2/sum: num1 + num2 + 100/' "$WORK/tasks/addition/main.js")
printf '%s\n' "$edited" >"$WORK/tasks/addition/main.js"
wait_count "$RELOADED" 1
expect_eq "$(sum_of 1 2)" 103 "the next job runs the edited main.js"
grep -q "reloaded task addition: version 1.0.0+r1" "$LOG" && pass "the edit is stored as revision 1.0.0+r1" ||
  fail "no revision 1.0.0+r1 in the log"

# 2. Saved by rename, as vim and VS Code do: a temporary file renamed over main.js.
sed 's/+ 100/+ 200/' "$WORK/tasks/addition/main.js" >"$WORK/tasks/addition/.main.js.swp"
mv "$WORK/tasks/addition/.main.js.swp" "$WORK/tasks/addition/main.js"
wait_count "$RELOADED" 2
expect_eq "$(sum_of 1 2)" 203 "a save by rename is reloaded"

# 3. A burst of 1,000 writes is one reload: after it, one more edit must be reload number 4.
for i in $(seq 1 1000); do
  printf '(function (input) { return { sum: input.num1 + input.num2 + %d }; })\n' "$i" >"$WORK/tasks/addition/main.js"
done
wait_count "$RELOADED" 3
expect_eq "$(sum_of 1 2)" 1003 "after 1,000 writes the last one runs"
printf '(function (input) { return { sum: input.num1 + input.num2 + 5 }; })\n' >"$WORK/tasks/addition/main.js"
wait_count "$RELOADED" 4
expect_eq "$(count "$RELOADED")" 4 "1,000 writes made exactly one reload"
expect_eq "$(sum_of 1 2)" 8 "the edit after the burst runs"

# 4. A syntax error keeps the last good version; the error is logged and shown; then fixed.
printf '(function (input) { return { sum: input.num1 + };\n' >"$WORK/tasks/addition/main.js"
wait_count "task reload failed" 1
grep "task reload failed" "$LOG" | grep -q "main.js:1:" && pass "the error names main.js and its line" ||
  fail "reload error without file and line: $(grep 'task reload failed' "$LOG")"
expect_eq "$(sum_of 1 2)" 8 "the last good version still runs"
run "${Q[@]}" tasks show addition
expect_rc 0 "tasks show after a failed reload"
expect_out_contains "lastReloadError" "tasks show prints the reload error"
expect_out_contains "main.js:1:" "the shown error has file and line"
printf '(function (input) { return { sum: input.num1 + input.num2 + 7 }; })\n' >"$WORK/tasks/addition/main.js"
wait_count "$RELOADED" 5
expect_eq "$(sum_of 1 2)" 10 "the fixed code runs"
run "${Q[@]}" tasks show addition
expect_out_lacks "lastReloadError" "the error is forgotten once the task loads again"

# 5. Jobs running or queued during a reload keep their version; the next one gets the new one.
run "${Q[@]}" jobs submit --task slow --input-json '{}' --json
running=$(field_of "$OUT" '[0]["id"]')
run "${Q[@]}" jobs submit --task slow --input-json '{}' --json
queued=$(field_of "$OUT" '[0]["id"]')
slow_js 10 v2
wait_count "reloaded task slow" 1
job_code() { "${Q[@]}" jobs show "$1" --json | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], (j.get("output") or {}).get("code"))'; }
done_as() { [ "$(job_code "$1")" = "completed $2" ]; }
wait_for 20 done_as "$running" v1 && pass "the job running during the reload ran the old code" ||
  fail "running job: $(job_code "$running")"
wait_for 20 done_as "$queued" v1 && pass "the job queued before the reload ran the old code" ||
  fail "queued job: $(job_code "$queued")"
run "${Q[@]}" jobs submit --task slow --input-json '{}' --wait --json
expect_eq "$(field_of "$OUT" '["output"]["code"]')" v2 "the next job runs the new code"

# 6. A removed task is disabled (its history stays).
rm -rf "$WORK/tasks/slow"
wait_count "task slow disabled" 1
enabled_of() { "${Q[@]}" tasks list --json | python3 -c "import json,sys; print([t['enabled'] for t in json.load(sys.stdin) if t['name'] == '$1'])"; }
expect_eq "$(enabled_of slow)" "[False]" "the removed task is disabled, not deleted"

# 7. The watched folder removed and recreated is watched again.
rm -rf "$WORK/tasks"
wait_count "task addition disabled" 1
mkdir -p "$WORK/tasks/addition"
cp "$S/addition/metadata.json" "$S/addition/input.schema.json" "$S/addition/output.schema.json" "$WORK/tasks/addition/"
printf '(function (input) { return { sum: input.num1 + input.num2 + 9 }; })\n' >"$WORK/tasks/addition/main.js"
wait_count "task addition enabled again" 1
wait_count "$RELOADED" 6
expect_eq "$(enabled_of addition)" "[True]" "the task is enabled again"
expect_eq "$(sum_of 1 2)" 12 "the recreated folder's code runs"
printf '(function (input) { return { sum: input.num1 + input.num2 + 11 }; })\n' >"$WORK/tasks/addition/main.js"
wait_count "$RELOADED" 7
expect_eq "$(sum_of 1 2)" 14 "edits in the recreated folder are seen"

# 8. A zip replaced in place: one reload.
cp "$S/greeting.zip" "$WORK/tasks/greeting.zip"
wait_count "reloaded task greeting" 1
mkdir -p "$WORK/z" && (cd "$WORK/z" && unzip -q "$S/greeting.zip" &&
  printf '\n// changed\n' >>greeting/main.js && python3 -c 'import shutil; shutil.make_archive("g", "zip", ".", "greeting")')
cp "$WORK/z/g.zip" "$WORK/tasks/greeting.zip"
wait_count "reloaded task greeting" 2
printf '(function (input) { return { sum: input.num1 + input.num2 + 13 }; })\n' >"$WORK/tasks/addition/main.js"
wait_count "$RELOADED" 8
expect_eq "$(count "reloaded task greeting")" 2 "a zip replaced in place is one reload"

# 9. An edit undone: the original content again is what the next job runs.
cp "$S/addition/main.js" "$WORK/tasks/addition/main.js"
wait_count "$RELOADED" 9
expect_eq "$(sum_of 1 2)" 3 "an undone edit runs the original code again"

# 10. git checkout between two commits (the task changed and 300 other files appear or go):
# one reload per checkout.
if command -v git >/dev/null; then
  G=(git -C "$WORK/tasks" -c user.email=t@example.com -c user.name=t)
  "${G[@]}" init -q && "${G[@]}" add -A && "${G[@]}" commit -q -m one && "${G[@]}" branch -q one
  mkdir -p "$WORK/tasks/docs"
  for i in $(seq 1 300); do echo "$i" >"$WORK/tasks/docs/f$i.txt"; done
  printf '(function (input) { return { sum: input.num1 + input.num2 + 21 }; })\n' >"$WORK/tasks/addition/main.js"
  wait_count "$RELOADED" 10
  "${G[@]}" add -A && "${G[@]}" commit -q -m two && "${G[@]}" branch -q two
  "${G[@]}" checkout -q one
  wait_count "$RELOADED" 11
  expect_eq "$(sum_of 1 2)" 3 "after git checkout the checked-out code runs"
  "${G[@]}" checkout -q two
  wait_count "$RELOADED" 12
  expect_eq "$(sum_of 1 2)" 24 "after checking out the other commit its code runs"
  printf '(function (input) { return { sum: input.num1 + input.num2 + 31 }; })\n' >"$WORK/tasks/addition/main.js"
  wait_count "$RELOADED" 13
  expect_eq "$(count "$RELOADED")" 13 "each git checkout made exactly one reload"
fi
expect_eq "$(count "task reload failed")" 1 "no other reload failed"
finish
