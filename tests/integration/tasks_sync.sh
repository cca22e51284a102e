#!/usr/bin/env bash
# `ratchet tasks sync` reports the tasks added, updated (a new version or revision), unchanged
# and failed, as text and as JSON, and exits 1 when one failed.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
S=$RATCHET_SOURCE_DIR/sample
mkdir -p "$WORK/t"
cp -r "$S/addition" "$S/dummy-task" "$WORK/t/"
R=("$RATCHET_BIN" --data-dir "$WORK/d" --tasks "$WORK/t")

run "${R[@]}" tasks sync
expect_rc 0 "first sync"
expect_out_contains "added     addition 1.0.0" "a new task is reported as added"
expect_out_contains "2 added, 0 updated, 0 unchanged, 0 failed" "the counts of the first sync"

echo '// edited' >>"$WORK/t/addition/main.js"
sed -i 's/"version": "1.0.0"/"version": "1.1.0"/' "$WORK/t/dummy-task/metadata.json"
mkdir -p "$WORK/t/broken" && echo '{' >"$WORK/t/broken/metadata.json"
run "${R[@]}" tasks sync
expect_rc 1 "a sync with a broken task fails"
expect_out_contains "updated   addition 1.0.0+r1" "an edit in place is a new revision"
expect_out_contains "updated   dummy-task 1.1.0" "a bumped version is reported as updated"
expect_out_contains "failed    $WORK/t/broken/metadata.json: line 2, column 1" "the broken task with file and line"
expect_out_contains "0 added, 2 updated, 0 unchanged, 1 failed" "the counts of the second sync"

rm -rf "$WORK/t/broken"
run "${R[@]}" tasks sync --json
expect_rc 0 "sync --json"
expect_out_contains '"unchanged": 2' "nothing changed is reported as unchanged"
expect_out_contains '"updated": [' "the JSON has the updated list"
run "${R[@]}" tasks sync --bogus
expect_rc 2 "an unknown flag"
expect_err_contains "unexpected argument '--bogus'" "the flag is named"
finish
