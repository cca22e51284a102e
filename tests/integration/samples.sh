#!/usr/bin/env bash
# The sample tasks (sample/) as a user meets them: they validate, their tests pass offline
# (mocks), run-once gives the documented outputs and errors, the error paths the tests/*.json
# cannot express (a test is a JSON comparison) behave, the OAuth form really goes out as the
# third fetch argument, and the samples run as jobs under `ratchet serve`.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
S=$RATCHET_SOURCE_DIR/sample
R=$RATCHET_BIN
SAMPLES=(addition dummy-task greeting.zip ms-oauth-token order-check rest-call-sample
  streaming-example test-fetch weather-api)

# json_is 'PYTHON EXPRESSION over o' DESCRIPTION: $OUT parsed as JSON as o satisfies it.
json_is() {
  CHECKS=$((CHECKS + 1))
  if python3 -c 'import json, sys; o = json.loads(sys.stdin.read()); sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" <<<"$OUT" 2>/dev/null; then
    pass "$2"; else fail "$2: ($1) is false for: $OUT"; fi
}
# check COND DESCRIPTION: a shell condition as one check.
check() {
  CHECKS=$((CHECKS + 1))
  if eval "$1"; then pass "$2"; else fail "$2 ($1)"; fi
}

# --- validate and test: every sample, offline. ---------------------------------------------
run "$R" validate --from-fs "$S"
expect_rc 0 "samples validate"
for t in "${SAMPLES[@]}"; do expect_out_contains "sample/$t: OK (${t%.zip} 1.0.0," "$t validates"; done

run "$R" test --from-fs "$S"
expect_rc 0 "sample tests pass"
for t in "${SAMPLES[@]}"; do expect_out_contains "PASS ${t%.zip}/" "$t has passing tests"; done
expect_out_lacks "FAIL" "no sample test fails"
check '[ "$(grep -c "^PASS " <<<"$OUT")" -ge 18 ]' "at least 18 sample tests ran"

# One sample stays plain ES5, the others are compiled from ES2015+.
run "$R" compile --from-fs "$S/addition"
expect_err_contains "plain ES5 (unchanged)" "addition is plain ES5"
for t in dummy-task greeting.zip ms-oauth-token order-check rest-call-sample streaming-example test-fetch weather-api; do
  run "$R" compile --from-fs "$S/$t"
  expect_err_contains "compiled from ES2015+" "$t is written in ES2015+"
done
run "$R" compile --from-fs "$S/test-fetch"
expect_err_contains "async" "test-fetch uses async/await"

# --- run-once with inputs. ---------------------------------------------------------------------
run "$R" run-once --from-fs "$S/addition" --input-json '{"num1": 19, "num2": 23}'
expect_rc 0 "run-once addition"
json_is 'o == {"sum": 42}' "addition output"

run "$R" run-once --from-fs "$S/dummy-task" --input-json '{"value": "Ratchet"}'
expect_rc 0 "run-once dummy-task"
json_is 'o == {"result": "Hello, Ratchet"}' "dummy-task output"

run "$R" run-once --from-fs "$S/greeting.zip" --input-json '{"name": "Zip"}'
expect_rc 0 "run-once greeting.zip"
json_is 'o == {"greeting": "Hello, Zip!"}' "greeting output"
run "$R" run-once --from-fs "$S/greeting.zip" --input-json '{"name": ""}'
json_is 'o == {"greeting": "Hello, stranger!"}' "greeting: an empty name is a stranger"

run "$R" run-once --from-fs "$S/order-check" --input-json '{"sku": "ABC-1234", "quantity": 2}'
json_is 'o == {"sku": "ABC-1234", "quantity": 2, "accepted": True}' "order-check accepts"
run "$R" run-once --from-fs "$S/order-check" --input-json '{"sku": "abc", "quantity": 2}'
expect_rc 1 "order-check: bad sku"
expect_err_contains "runtime error: ValidationError: sku must look like ABC-1234, got abc" "ValidationError message"
run "$R" run-once --from-fs "$S/order-check" --input-json '{"sku": "ABC-1234", "quantity": 101}'
expect_err_contains "runtime error: RateLimitError: at most 100 items per order line" "RateLimitError message"
run "$R" run-once --from-fs "$S/order-check" --input-json '{"sku": "OLD-0000", "quantity": 1}'
expect_err_contains "runtime error: HttpError: this product is no longer sold (status 410)" "HttpError with status"

run "$R" run-once --from-fs "$S/streaming-example" --input-json '{"steps": 2, "delay": 250, "start_time": "2025-01-01T00:00:00Z"}'
expect_rc 0 "run-once streaming-example"
json_is 'o["steps_completed"] == 2 and o["total_processing_time"] == 500 and [r["timestamp"] for r in o["results"]] == ["2025-01-01T00:00:00.250Z", "2025-01-01T00:00:00.500Z"] and o["metadata"]["task_completed_at"] == "2025-01-01T00:00:00.500Z"' "streaming-example: simulated clock"
expect_err_contains "[streaming-example] info: Progress: 0.0% - initialization: Starting streaming example task" "progress on the log"
expect_err_contains "Progress: 100.0% - completed: Task completed successfully" "completion on the log"
expect_out_lacks "Progress" "progress never in the output"

t0=$(date +%s%N)
run "$R" run-once --from-fs "$S/streaming-example" --input-json '{"steps": 4, "delay": 10000, "simulate_error": true}'
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect_rc 1 "streaming-example: simulate_error"
expect_err_contains "runtime error: Error: Simulated error at step 3" "simulated error message"
expect_err_contains "Progress: 37.5% - error: Simulated error at step 3" "error progress logged first"
check '[ "$ms" -lt 3000 ]' "4 steps of 10 s simulated take no real time (${ms} ms)"

run "$R" run-once --from-fs "$S/streaming-example" --input-json '{"steps": 0}'
expect_rc 1 "streaming-example: steps below the minimum"
expect_err_contains "input invalid" "input schema enforced"

# --- error paths, offline: extra tests in a copy, checked through the FAIL report. -----------
# weather-api: a 404 becomes DataError; an odd body is DataError too.
cp -r "$S/weather-api" "$WORK/weather"
cat >"$WORK/weather/tests/test-404.json" <<'JSON'
{"input": {"city": "Atlantis"}, "expected_output": {},
 "mock": {"http": {"method": "GET", "url": "https://api.openweathermap.org/data/2.5/weather?q=Atlantis&units=metric&appid=demo",
                   "response": {"status": 404, "body": {"cod": "404", "message": "city not found"}}}}}
JSON
cat >"$WORK/weather/tests/test-odd.json" <<'JSON'
{"input": {"city": "Oddtown", "units": "imperial", "api_key": "k"}, "expected_output": {},
 "mock": {"http": {"method": "GET", "url": "https://api.openweathermap.org/data/2.5/weather?q=Oddtown&units=imperial&appid=k",
                   "response": {"name": "Oddtown", "weather": null}}}}
JSON
run "$R" test --from-fs "$WORK/weather"
expect_out_contains "runtime error: DataError: city not found: Atlantis" "weather-api: 404 is DataError"
expect_out_contains "runtime error: DataError: unexpected response from the weather service" "weather-api: odd body is DataError"
expect_out_contains "2 passed, 2 failed" "weather-api: the sample's own tests still pass"

# ms-oauth-token: a refused secret (401) and an answer without a token are AuthenticationError.
cp -r "$S/ms-oauth-token" "$WORK/oauth"
cat >"$WORK/oauth/tests/test-401.json" <<'JSON'
{"input": {"TENANT_ID": "t", "CLIENT_ID": "c", "CLIENT_SECRET": "wrong"}, "expected_output": {},
 "mock": {"http": {"method": "POST", "url": "https://login.microsoftonline.com/t/oauth2/v2.0/token",
                   "response": {"status": 401, "body": {"error": "invalid_client"}}}}}
JSON
cat >"$WORK/oauth/tests/test-no-token.json" <<'JSON'
{"input": {"TENANT_ID": "t", "CLIENT_ID": "c", "CLIENT_SECRET": "s"}, "expected_output": {},
 "mock": {"http": {"method": "POST", "url": "https://login.microsoftonline.com/t/oauth2/v2.0/token",
                   "response": {"error": "temporarily_unavailable"}}}}
JSON
run "$R" test --from-fs "$WORK/oauth"
expect_out_contains "runtime error: AuthenticationError: HTTP 401" "ms-oauth-token: 401 is AuthenticationError"
expect_out_contains 'AuthenticationError: Failed to get access token: {"error":"temporarily_unavailable"}' "ms-oauth-token: no token"

# test-fetch: a failed request is success: false (not a task failure). Everything but the
# local-clock timestamp is as expected, so the only difference reported is the timestamp.
cp -r "$S/test-fetch" "$WORK/fetch"
cat >"$WORK/fetch/tests/test-503.json" <<'JSON'
{"input": {"endpoint": "/ip"},
 "expected_output": {"success": false, "status": 0, "url": "https://httpbin.org/ip",
   "data": {"response_body": null,
     "request_info": {"method": "GET", "url": "https://httpbin.org/ip", "headers_sent": {"User-Agent": "Ratchet-Test-Fetch/1.0"},
                      "headers_included": false, "error": "HTTP 503: Service Unavailable", "error_type": "UnknownError"},
     "fetch_metadata": {"endpoint_requested": "/ip", "timestamp": "CLOCK", "execution_context": "unknown", "failed": true}}},
 "mock": {"http": {"method": "GET", "url": "https://httpbin.org/ip", "response": {"status": 503, "body": "down"}}}}
JSON
run "$R" test --from-fs "$WORK/fetch"
expect_out_contains "FAIL test-503" "test-fetch: the 503 test differs (in its timestamp)"
check '[ "$(grep -c "^  /" <<<"$OUT")" = 1 ] && grep -q "^  /data/fetch_metadata/timestamp: expected \"CLOCK\", got \"20" <<<"$OUT"' \
  "test-fetch: a 503 answers success: false, differing only in the local timestamp"
expect_out_contains "3 passed, 1 failed" "test-fetch: the sample's own tests still pass"

# --- ms-oauth-token against a local server: the form is the request body, as is. -------------
cat >"$WORK/form.py" <<'PY'
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        with open(sys.argv[2], "w") as f:
            json.dump({"path": self.path, "type": self.headers.get("Content-Type"), "body": body}, f)
        out = json.dumps({"token_type": "Bearer", "access_token": "local-token"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1] + ".tmp", "w").write(str(s.server_port))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()
PY
python3 "$WORK/form.py" "$WORK/form.port" "$WORK/form.json" &
formsrv=$!
cleanup_hooks+=("kill $formsrv 2>/dev/null")
wait_for 10 test -s "$WORK/form.port" || fail "form server did not start"
cp -r "$S/ms-oauth-token" "$WORK/oauth-local"
sed -i "s|https://login.microsoftonline.com/|http://127.0.0.1:$(cat "$WORK/form.port")/|" "$WORK/oauth-local/main.js"
run "$R" run-once --from-fs "$WORK/oauth-local" --input-json '{"TENANT_ID": "contoso", "CLIENT_ID": "app 1", "CLIENT_SECRET": "p&ss=w+rd/"}'
expect_rc 0 "ms-oauth-token against a local server"
json_is 'o == {"token": "local-token"}' "token returned"
OUT=$(cat "$WORK/form.json" 2>/dev/null)
json_is 'o["path"] == "/contoso/oauth2/v2.0/token" and o["type"] == "application/x-www-form-urlencoded" and o["body"] == "grant_type=client_credentials&client_id=app%201&client_secret=p%26ss%3Dw%2Brd%2F&scope=https%3A%2F%2Fapi.security.microsoft.com%2F.default"' \
  "the form is POSTed as is, url-encoded, with its Content-Type"

# --- the samples as jobs under `ratchet serve`. -----------------------------------------------
D=$WORK/data
cat >"$WORK/r.yaml" <<YAML
execution:
  timeout: 10s
engine:
  workers: 2
  retry_base: 100ms
  shutdown_grace: 5s
instances:
  - name: file
    plugin: logger-file
    options: {path: serve.jsonl, level: info}
YAML
OPS=("$R" --config "$WORK/r.yaml" --data-dir "$D")
"${OPS[@]}" --tasks "$S" serve --no-api 2>"$WORK/serve.err" &
SERVE=$!
cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
if wait_for 20 grep -q "ratchet serve: ready" "$WORK/serve.jsonl"; then pass "serve ready with the samples"; else
  fail "serve did not start"; cat "$WORK/serve.err" >&2; fi
CHECKS=$((CHECKS + 1))

run "${OPS[@]}" tasks list
for t in "${SAMPLES[@]}"; do expect_out_contains "${t%.zip}" "$t stored by serve"; done

# submit TASK INPUT: a job, waited for, its JSON in $OUT.
submit() { run "${OPS[@]}" jobs submit --task "$1" --input-json "$2" --max-retries 0 --wait --json; }

submit addition '{"num1": 40, "num2": 2}'
expect_rc 0 "job: addition (ES5)"
json_is 'o["status"] == "completed" and o["output"] == {"sum": 42}' "addition job output"

submit dummy-task '{"value": "serve"}'
expect_rc 0 "job: dummy-task"
json_is 'o["output"] == {"result": "Hello, serve"}' "dummy-task job output"

submit greeting '{"name": "Job"}'
expect_rc 0 "job: greeting (from the zip)"
json_is 'o["output"] == {"greeting": "Hello, Job!"}' "greeting job output"

submit streaming-example '{"steps": 3, "delay": 100, "start_time": "2025-07-01T10:00:00Z"}'
expect_rc 0 "job: streaming-example"
json_is 'o["output"]["steps_completed"] == 3 and o["output"]["summary"]["average_value"] == 58.38 and o["output"]["metadata"]["task_completed_at"] == "2025-07-01T10:00:00.300Z"' \
  "streaming-example job output"
json_is 'o["output"]["metadata"]["execution_context"] == {"executionId": str(o["executionId"]), "jobId": str(o["id"]), "taskId": "a7b8c9d0-e1f2-3456-7890-abcdef123456", "taskVersion": "1.0.0"}' \
  "the job's execution context reaches the task"

submit streaming-example '{"steps": 2, "simulate_error": true}'
expect_rc 1 "job: streaming-example with simulate_error fails"
json_is 'o["status"] == "failed" and "Simulated error at step 2" in json.dumps(o)' "simulated error recorded"

submit order-check '{"sku": "bad", "quantity": 1}'
expect_rc 1 "job: order-check with a bad sku fails"
json_is 'o["status"] == "failed" and "ValidationError: sku must look like ABC-1234, got bad" in json.dumps(o)' "typed error recorded"

submit order-check '{"sku": "XYZ-0001", "quantity": 5}'
expect_rc 0 "job: order-check"
json_is 'o["output"] == {"sku": "XYZ-0001", "quantity": 5, "accepted": True}' "order-check job output"

kill -TERM "$SERVE"
wait "$SERVE" && RC=0 || RC=$?
OUT="" ERR=$(cat "$WORK/serve.err")
expect_rc 0 "serve exits 0 on SIGTERM"
finish
