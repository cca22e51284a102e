#!/usr/bin/env bash
# fetch in both styles (issue 14 point 3): the synchronous call of the original Ratchet and the
# promise style (await, .then, .catch, r.json(), r.text()), answered from mocks, recorded to a
# HAR and replayed from it.
source "$(dirname "$0")/lib.sh"
TASK="$(dirname "$0")/fetch-styles"

run "$RATCHET_BIN" test --from-fs "$TASK"
expect_rc 0 "every fetch style gives the mocked answers"
expect_out_contains "1 passed, 0 failed" "the test passed"

# A live server on loopback: record, then replay offline.
PORT_FILE="$WORK/port"
python3 - "$PORT_FILE" >"$WORK/server.log" 2>&1 <<'PY' &
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        code = 404 if 'missing' in self.path else 200
        body = json.dumps({"name": "Live"}).encode() if code == 200 else b"nope"
        self.send_response(code)
        self.send_header("Content-Type", "application/json" if code == 200 else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_address[1]))
s.serve_forever()
PY
SERVER=$!
cleanup_hooks+=("kill $SERVER")
wait_for 10 test -s "$PORT_FILE" || fail "the local HTTP server did not start"
PORT=$(cat "$PORT_FILE")
mkdir -p "$WORK/live"
cp "$TASK/metadata.json" "$WORK/live/"
sed "s|https://api.example.test|http://127.0.0.1:$PORT|g" "$TASK/main.js" >"$WORK/live/main.js"
run "$RATCHET_BIN" run-once --from-fs "$WORK/live" --input-json '{}' --record "$WORK/rec"
expect_rc 0 "live run with recording"
expect_out_contains '"chained": "HttpError via catch"' "a .catch() chained to fetch sees the HTTP error"
expect_out_contains '"awaited": "Live"' "await fetch + r.json() against a live server"
kill "$SERVER"
SESSION=$(ls -d "$WORK"/rec/ratchet_session_* | head -1)
run "$RATCHET_BIN" replay --from-fs "$WORK/live" --recording "$SESSION"
expect_rc 0 "replay answers every style from the HAR, offline"
finish
