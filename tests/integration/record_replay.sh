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

# Issue 15: credentials stay out of the recording (built-in names and execution.redact_headers),
# in requests and responses, and replay still answers the requests.
cat >"$WORK/secret_server.py" <<'PY'
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        got = {k: "s3cret" in (self.headers.get(k) or "")
               for k in ("Authorization", "Cookie", "X-Api-Key")}
        body = json.dumps(got).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Set-Cookie", "sid=s3cret")
        self.send_header("X-Session-Token", "s3cret-token")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), H)
print("port", srv.server_address[1], flush=True)
srv.serve_forever()
PY
python3 "$WORK/secret_server.py" >"$WORK/secret.log" 2>&1 &
ssrv=$!
cleanup_hooks+=("kill $ssrv 2>/dev/null")
wait_for 10 grep -q "^port" "$WORK/secret.log" || { fail "secret server did not start"; finish; }
sport=$(sed -n 's/^port \([0-9]*\)/\1/p' "$WORK/secret.log")
mkdir -p "$WORK/stask"
echo '{"name": "send-secrets", "version": "1.0.0"}' >"$WORK/stask/metadata.json"
cat >"$WORK/stask/main.js" <<'JS'
function main(input) {
    var r = fetch(input.url, {headers: {Authorization: "Bearer s3cret", Cookie: "a=s3cret",
                                        "X-Api-Key": "s3cret"}});
    return {got: r.body, cookie: r.headers["set-cookie"] || r.headers["Set-Cookie"]};
}
JS
printf 'execution:\n  redact_headers: [x-api-key, X-Session-Token]\n' >"$WORK/redact.yaml"
run "$R" --config "$WORK/redact.yaml" run-once --from-fs "$WORK/stask" \
  --input-json "{\"url\": \"http://127.0.0.1:$sport/s\"}" --record "$WORK/srec"
expect_rc 0 "recorded run with credentials"
expect_out_contains '"Authorization": true' "the server got the real Authorization"
expect_out_contains '"X-Api-Key": true' "the server got the real X-Api-Key"
ssession=$(ls -d "$WORK"/srec/ratchet_session_* | head -1)
CHECKS=$((CHECKS + 1))
if ! grep -q s3cret "$ssession/requests.har"; then pass "no secret in the HAR"
else fail "a secret is in $ssession/requests.har"; fi
CHECKS=$((CHECKS + 1))
if python3 - "$ssession/requests.har" <<'PY'
import json, sys
e = json.load(open(sys.argv[1]))["log"]["entries"][0]
rq = {h["name"].lower(): h["value"] for h in e["request"]["headers"]}
rs = {h["name"].lower(): h["value"] for h in e["response"]["headers"]}
for k in ("authorization", "cookie", "x-api-key"):
    assert rq[k] == "[redacted]", (k, rq)
for k in ("set-cookie", "x-session-token"):
    assert rs[k] == "[redacted]", (k, rs)
PY
then pass "credential headers recorded as [redacted]"; else fail "HAR headers not redacted"; fi
kill "$ssrv"; wait "$ssrv" 2>/dev/null
run "$R" --config "$WORK/redact.yaml" replay --from-fs "$WORK/stask" --recording "$ssession"
expect_rc 1 "replay answers the request (the output differs only by the redacted cookie)"
expect_out_contains '/cookie: expected "sid=s3cret", got "[redacted]"' "replay matched the request"
printf 'execution:\n  redact_headers: ["X Bad"]\n' >"$WORK/badredact.yaml"
run "$R" config validate "$WORK/badredact.yaml"
expect_rc 1 "a bad header name in redact_headers"
expect_err_contains "execution.redact_headers[0]: expected a header name" "redact_headers message"
finish
