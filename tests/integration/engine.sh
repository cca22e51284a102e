#!/usr/bin/env bash
# The engine as an operator uses it: `ratchet serve` with workers, jobs submitted from the
# CLI while it runs, retries, timeouts, a killed worker, cancel, a cron schedule, and a
# kill -9 of the server in the middle of a burn-down with nothing lost.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
S=$RATCHET_SOURCE_DIR/sample
D=$WORK/data
mkdir -p "$WORK/tasks"
cp -r "$S/addition" "$WORK/tasks/addition"
mk spin 'function main(input) { for (;;) {} }'
mk slow 'function main(input) { var end = Date.now() + input.ms; while (Date.now() < end) {} return {slept: input.ms}; }'
mk flaky 'function main(input) { throw new NetworkError("upstream down"); }'
cat >"$WORK/r.yaml" <<YAML
execution:
  timeout: 2s
engine:
  workers: 2
  lease: 3s
  max_retries: 1
  retry_base: 100ms
  shutdown_grace: 5s
instances:
  - name: file
    plugin: logger-file
    options: {path: serve.jsonl, level: debug}
YAML
OPS=("$R" --config "$WORK/r.yaml" --data-dir "$D" --tasks "$WORK/tasks")

start_serve() {
  "${OPS[@]}" serve --no-api 2>>"$WORK/serve.err" &
  SERVE=$!
  cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
  wait_for 20 grep -q "ratchet serve: ready" "$WORK/serve.jsonl" || fail "serve did not start"
}
job_status() { "${OPS[@]}" jobs show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
status_is() { [ "$(job_status "$1")" = "$2" ]; }
count_status() { "${OPS[@]}" jobs list --status "$1" --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
all_done() { [ "$(count_status completed)" -ge "$1" ]; }

# The registry: one name and version found twice is reported, not silently merged.
mkdir -p "$WORK/dup1" "$WORK/dup2"
cp -r "$S/addition" "$WORK/dup1/addition"
cp -r "$S/addition" "$WORK/dup2/addition"
run "$R" --data-dir "$WORK/dupdata" --tasks "$WORK/dup1" --tasks "$WORK/dup2" tasks list
expect_rc 0 "identical duplicate is a warning"
expect_err_contains "task addition 1.0.0 is in both $WORK/dup1/addition and $WORK/dup2/addition (identical" "identical duplicate reported"
echo '// changed' >>"$WORK/dup2/addition/main.js"
run "$R" --data-dir "$WORK/dupdata" --tasks "$WORK/dup1" --tasks "$WORK/dup2" tasks list
expect_rc 1 "different content under one version"
expect_err_contains "with different content; give one of them a new version" "conflicting duplicate reported"
run "$R" --data-dir "$WORK/dupdata" --tasks "$WORK/dup2" tasks list
expect_rc 1 "a stored version is never replaced"
expect_err_contains "already stored with different content" "storage refuses to replace a version"

start_serve

run "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 2, "num2": 40}' --wait --json
expect_rc 0 "submit --wait"
expect_out_contains '"sum": 42' "job output recorded"
expect_out_contains '"status": "completed"' "job completed"

run "${OPS[@]}" jobs submit --task addition --input-json '{"num1": "x"}'
expect_rc 1 "bad input refused at submit"
expect_err_contains "input invalid" "submit names the problem"

run "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 1, "num2": 1}' --idempotency-key k1
first=$(grep -o '[0-9]*' <<<"$OUT" | head -1)
run "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 1, "num2": 1}' --idempotency-key k1
expect_out_contains "job $first already exists" "idempotency key returns the first job"

# A failing job is retried once (max_retries 1), then failed with the last error kept.
run "${OPS[@]}" jobs submit --task flaky --input-json '{}' --wait --json
expect_rc 1 "failing job"
expect_out_contains '"status": "failed"' "failed for good"
expect_out_contains "upstream down" "last error kept"
expect_out_contains '"retryCount": 1' "retried once"

# --max-retries 0 overrides the engine's policy for one job: no second attempt.
run "${OPS[@]}" jobs submit --task flaky --input-json '{}' --max-retries 0 --wait --json
expect_rc 1 "job without retries"
expect_out_contains '"retryCount": 0' "not retried"

# A runaway job is killed at the timeout and its worker replaced.
run "${OPS[@]}" jobs submit --task spin --input-json '{}' --wait --json
expect_rc 1 "runaway job"
expect_out_contains "timed out after 2 s" "timeout recorded"

# A job killed (timeout) while its fetch is still running: the server carries on, and the late
# HTTP answer does not reach the next job on the replacement worker.
cat >"$WORK/slow.py" <<'PY'
import http.server, sys, time, json
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/slow"):
            time.sleep(3)
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port))
s.serve_forever()
PY
python3 "$WORK/slow.py" "$WORK/slow.port" &
slowsrv=$!
cleanup_hooks+=("kill $slowsrv 2>/dev/null")
wait_for 10 test -s "$WORK/slow.port"
mk fetcher 'function main(input) { return {got: fetch(input.url).body.path}; }'
base="http://127.0.0.1:$(cat "$WORK/slow.port")"
run "${OPS[@]}" jobs submit --task fetcher --input-json "{\"url\": \"$base/slow\"}" --max-retries 0 --wait --json
expect_rc 1 "job killed during its fetch"
expect_out_contains "timed out after 2 s" "fetching job timed out"
run "${OPS[@]}" jobs submit --task fetcher --input-json "{\"url\": \"$base/fast\"}" --wait --json
expect_rc 0 "the server survives a fetch outliving its job"
expect_out_contains '"got": "/fast"' "the next job gets its own answer"
kill -0 "$SERVE" && pass "server still running" || fail "server died"
CHECKS=$((CHECKS + 1))

# kill -9 a worker mid-task: the job is retried and completes; the pool is back to size.
run "${OPS[@]}" jobs submit --task slow --input-json '{"ms": 1500}'
slow_id=$(grep -o '[0-9]*' <<<"$OUT" | head -1)
wait_for 10 status_is "$slow_id" processing || fail "slow job never started"
victim=$(pgrep -P "$SERVE" -f worker | head -1)
kill -9 "$victim"
wait_for 20 status_is "$slow_id" completed && pass "job survives a killed worker" || fail "slow job: $(job_status "$slow_id")"
CHECKS=$((CHECKS + 1))
wait_for 10 test "$(pgrep -P "$SERVE" -f worker | wc -l)" -eq 2 && pass "pool back to 2 workers" || fail "pool size $(pgrep -P "$SERVE" -f worker | wc -l)"

# Cancel a running job: its worker is stopped, the job ends cancelled.
run "${OPS[@]}" jobs submit --task slow --input-json '{"ms": 1900}'
cid=$(grep -o '[0-9]*' <<<"$OUT" | head -1)
wait_for 10 status_is "$cid" processing
run "${OPS[@]}" jobs cancel "$cid"
expect_rc 0 "cancel"
wait_for 10 status_is "$cid" cancelled && pass "running job cancelled" || fail "cancel: $(job_status "$cid")"

# A schedule every second fires.
run "${OPS[@]}" schedules add --name tick --task addition --cron '* * * * * *' --input-json '{"num1": 1, "num2": 2}'
expect_rc 0 "schedule added"
before=$(count_status completed)
wait_for 10 all_done $((before + 2)) && pass "every-second schedule fires" || fail "schedule did not fire"
run "${OPS[@]}" schedules list
expect_out_contains "tick" "schedule listed"
sid=$(awk '$2 == "tick" {print $1}' <<<"$OUT")
run "${OPS[@]}" schedules disable "$sid"
expect_rc 0 "schedule disabled"

# Webhook: the output is POSTed to a local server, which answers 503 once; it is retried.
cat >"$WORK/hook.py" <<'PY'
import http.server, sys, json
class H(http.server.BaseHTTPRequestHandler):
    n = 0
    def do_POST(self):
        H.n += 1
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with open(sys.argv[2], "a") as f:
            f.write(json.dumps({"n": H.n, "type": self.headers.get("Content-Type"), "body": body.decode()}) + "\n")
        self.send_response(503 if H.n == 1 else 200)
        self.end_headers()
    def log_message(self, *a): pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1], "w").write(str(s.server_port))
s.serve_forever()
PY
python3 "$WORK/hook.py" "$WORK/hook.port" "$WORK/hook.log" &
hook=$!
cleanup_hooks+=("kill $hook 2>/dev/null")
wait_for 10 test -s "$WORK/hook.port"
run "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 20, "num2": 22}' --webhook "http://127.0.0.1:$(cat "$WORK/hook.port")/hook" --wait
expect_rc 0 "job with a webhook"
CHECKS=$((CHECKS + 1))
if wait_for 15 grep -q '"n": 2' "$WORK/hook.log"; then pass "webhook retried after 503 and delivered"; else
  fail "webhook log: $(cat "$WORK/hook.log" 2>/dev/null)"; fi
CHECKS=$((CHECKS + 1))
if python3 -c 'import json,sys; e=[json.loads(l) for l in open(sys.argv[1])][-1]; b=json.loads(e["body"]); sys.exit(0 if b == {"sum": 42} and e["type"].startswith("application/json") else 1)' "$WORK/hook.log"; then
  pass "webhook body is the output JSON"; else fail "webhook body: $(tail -1 "$WORK/hook.log")"; fi
run "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 1, "num2": 1}' --outputs '[{"type": "ftp"}]'
expect_rc 2 "bad output destination refused"
expect_err_contains "outputs[0]" "bad destination named"

# A worker dies with its server: after kill -9 of serve, no worker is left running a task
# that runs away (PR_SET_PDEATHSIG; before, an orphan spun on until its task ended, if ever).
spin_id=$("${OPS[@]}" jobs submit --task spin --input-json '{}' | grep -o '[0-9]*' | head -1)
wait_for 10 status_is "$spin_id" processing || fail "the runaway job never started"
workers=$(pgrep -P "$SERVE" | tr '\n' ' ')
kill -9 "$SERVE"
wait "$SERVE" 2>/dev/null
# Gone, or a zombie whose parent (here perhaps a PID 1 that does not reap) has not reaped it.
workers_gone() {
  local p
  for p in $workers; do
    [ -e "/proc/$p" ] && ! grep -q '^State:.*Z' "/proc/$p/status" 2>/dev/null && return 1
  done
  return 0
}
CHECKS=$((CHECKS + 1))
if [ -n "$workers" ] && wait_for 5 workers_gone; then pass "the workers died with the killed server ($workers)"
else fail "workers left running after kill -9 of serve: $workers"; fi
start_serve
run "${OPS[@]}" jobs cancel "$spin_id"
expect_rc 0 "the runaway job is cancelled after the restart"

# Crash: kill -9 the server during a burn-down; after a restart every job completes once.
seq 1 400 | awk '{printf "{\"num1\": %d, \"num2\": 1}\n", $1}' >"$WORK/batch.jsonl"
base=$(count_status completed)
run "${OPS[@]}" jobs submit --task addition --batch "$WORK/batch.jsonl"
expect_rc 0 "batch submitted"
wait_for 20 test "$(count_status completed)" -ge $((base + 50)) || true
kill -9 "$SERVE"
wait "$SERVE" 2>/dev/null
start_serve
wait_for 60 all_done $((base + 400)) && pass "all 400 jobs complete after a crash" || fail "only $(count_status completed) completed"
CHECKS=$((CHECKS + 1))
dups=$("${OPS[@]}" executions list --status completed --limit 1000 --json | python3 -c '
import json, sys, collections
items = json.load(sys.stdin)["items"]
c = collections.Counter(e["jobId"] for e in items)
print(sum(1 for v in c.values() if v > 1))')
[ "$dups" = 0 ] && pass "no job completed twice" || fail "$dups jobs completed twice"

# jobs wait: for given jobs, and for the whole queue (sleeping on the storage's wake-ups).
run "${OPS[@]}" jobs submit --task addition --batch "$WORK/batch.jsonl"
last=$(grep -o '\.\.[0-9]*' <<<"$OUT" | tr -d .)
run "${OPS[@]}" jobs wait --timeout 60s
expect_rc 0 "jobs wait: the queue drains"
expect_out_contains "queue idle:" "jobs wait reports the idle queue"
CHECKS=$((CHECKS + 1))
left=$(( $(count_status queued) + $(count_status processing) ))
[ "$left" = 0 ] && pass "nothing queued or running after jobs wait" || fail "$left jobs left after jobs wait"
run "${OPS[@]}" jobs wait "$last" --json
expect_rc 0 "jobs wait ID of a completed job"
expect_out_contains '"status": "completed"' "jobs wait --json prints the job"
run "${OPS[@]}" jobs submit --task flaky --input-json '{}' --max-retries 0
fid=$(grep -o '[0-9]*' <<<"$OUT" | head -1)
run "${OPS[@]}" jobs wait "$last" "$fid"
expect_rc 1 "jobs wait exits 1 when a job failed"
expect_out_contains "job $fid failed" "the failed job is named"
run "${OPS[@]}" jobs wait 99999999
expect_rc 1 "jobs wait on an unknown job"
expect_err_contains "job 99999999 does not exist" "unknown job named"
run "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 1, "num2": 1}' --at +1h
later=$(grep -o '[0-9]*' <<<"$OUT" | head -1)
run "${OPS[@]}" jobs wait --timeout 300ms
expect_rc 1 "jobs wait times out while a job is due later"
expect_err_contains "timed out: 1 jobs queued, running or waiting to be retried" "the timeout says what is left"
run "${OPS[@]}" jobs cancel "$later"
run "${OPS[@]}" jobs wait --timeout 1s
expect_rc 0 "the queue is idle again"

kill -TERM "$SERVE"
wait "$SERVE" && RC=0 || RC=$?
OUT="" ERR=""
expect_rc 0 "serve exits 0 on SIGTERM"

# SIGTERM with a job running longer than the grace period: the job is requeued, not lost, and
# the next server runs it to completion.
sed -i 's/shutdown_grace: 5s/shutdown_grace: 300ms/' "$WORK/r.yaml"
start_serve
run "${OPS[@]}" jobs submit --task slow --input-json '{"ms": 1800}'
gid=$(grep -o '[0-9]*' <<<"$OUT" | head -1)
wait_for 10 status_is "$gid" processing
kill -TERM "$SERVE"
wait "$SERVE" && RC=0 || RC=$?
OUT="" ERR=""
expect_rc 0 "serve exits 0 after the grace period"
CHECKS=$((CHECKS + 1))
st=$(job_status "$gid")
if [ "$st" = queued ]; then pass "running job requeued at shutdown"; else fail "job is $st after shutdown"; fi
start_serve
wait_for 20 status_is "$gid" completed && pass "requeued job completes after restart" || fail "requeued job: $(job_status "$gid")"
run "${OPS[@]}" jobs show "$gid" --json
expect_out_contains '"retryCount": 0' "an interrupted shutdown does not count as an attempt"
kill -TERM "$SERVE"
wait "$SERVE"
finish
