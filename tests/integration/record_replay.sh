#!/usr/bin/env bash
# --record writes a HAR 1.2 session from real HTTP traffic (a local server); replay answers the
# task's fetches from it with the server gone, and reports a changed output.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
mkdir -p "$WORK/www" "$WORK/task/tests"
echo '{"items": [1, 2, 3], "owner": "ratchet"}' >"$WORK/www/data.json"
python3 -m http.server 0 --bind 127.0.0.1 --directory "$WORK/www" >"$WORK/http.log" 2>&1 &
srv=$!
cleanup_hooks+=("kill $srv 2>/dev/null")
wait_for 10 grep -q "Serving HTTP" "$WORK/http.log" || { fail "http server did not start"; finish; }
port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$WORK/http.log" | head -1)

echo '{"name": "sum-remote", "version": "1.0.0"}' >"$WORK/task/metadata.json"
cat >"$WORK/task/main.js" <<JS
function main(input) {
    var r = fetch(input.base + "/data.json", {method: "GET"});
    var total = 0;
    for (var i = 0; i < r.body.items.length; i++) total += r.body.items[i];
    return {total: total, owner: r.body.owner, status: r.status};
}
JS
run "$R" run-once --from-fs "$WORK/task" --input-json "{\"base\": \"http://127.0.0.1:$port\"}" --record "$WORK/rec"
expect_rc 0 "recorded run"
expect_out_contains '"total": 6' "live output"
session=$(ls -d "$WORK"/rec/ratchet_session_* | head -1)
CHECKS=$((CHECKS + 1))
if [ -f "$session/requests.har" ] && [ -f "$session/input.json" ] && [ -f "$session/output.json" ]; then
  pass "session files written"; else fail "session files missing in $session"; fi
CHECKS=$((CHECKS + 1))
if python3 - "$session/requests.har" <<'PY'
import json, sys
har = json.load(open(sys.argv[1]))
log = har["log"]
assert log["version"] == "1.2", log["version"]
e = log["entries"][0]
assert e["request"]["method"] == "GET"
assert e["request"]["url"].endswith("/data.json")
assert e["response"]["status"] == 200
assert '"owner": "ratchet"' in e["response"]["content"]["text"]
assert any(h["name"].lower() == "content-type" for h in e["response"]["headers"])
assert "startedDateTime" in e and "timings" in e
PY
then pass "HAR 1.2 with real request and response"; else fail "HAR content"; fi

kill "$srv"; wait "$srv" 2>/dev/null
run "$R" replay --from-fs "$WORK/task" --recording "$session"
expect_rc 0 "replay offline"
expect_out_contains "replay matches the recording" "replay result"

# A different output is a failure with the difference listed.
sed -i 's/"total": 6/"total": 7/' "$session/output.json"
run "$R" replay --from-fs "$WORK/task" --recording "$session"
expect_rc 1 "replay detects a difference"
expect_out_contains "/total: expected 7, got 6" "difference shown"

run "$R" replay --from-fs "$WORK/task" --recording "$WORK/none"
expect_rc 1 "missing session"
expect_err_contains "$WORK/none/input.json" "missing session file named"
finish
