#!/usr/bin/env bash
# Sending jobs ahead (engine.c): while no worker is idle, a worker running a short task gets
# its next jobs before it finishes the current one. A burn-down on one worker sends jobs
# ahead; a worker killed with jobs waiting in its pipe loses none of them (they are requeued,
# their attempts not counted, and run again); a job cancelled while it waits in a pipe ends
# cancelled; nothing is sent ahead of a task that runs long.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
mk quick 'function main(input) { return {n: input.n}; }'
mk fetchy 'function main(input) { try { fetch("http://127.0.0.1:1/x"); } catch (e) { return {n: input.n, error: e.name}; } return {n: input.n}; }'
mk slow 'function main(input) { var end = Date.now() + input.ms; while (Date.now() < end) {} return {slept: input.ms}; }'
cat >"$WORK/r.yaml" <<YAML
logging:
  level: debug
engine:
  workers: 1
  max_retries: 2
  retry_base: 10ms
  # slow with ms 0 counts as short even on a loaded machine; after one 2.5 s run its
  # average (0.8 old + 0.2 new) is over 200 ms and it counts as long.
  send_ahead: 200ms
instances:
  - name: file
    plugin: logger-file
    options: {path: serve.jsonl, level: debug}
YAML
OPS=("$R" --config "$WORK/r.yaml" --data-dir "$WORK/data" --tasks "$WORK/tasks")
job_status() { "${OPS[@]}" jobs show "$1" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }
status_is() { [ "$(job_status "$1")" = "$2" ]; }
count_status() { "${OPS[@]}" jobs list --status "$1" --limit 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
at_least() { [ "$(count_status "$1")" -ge "$2" ]; }
# batch_completes TASK FILE N WHAT: submit FILE's jobs of TASK, then wait until N more jobs
# than before have completed (a check).
batch_completes() {
  local before
  before=$(count_status completed)
  run "${OPS[@]}" jobs submit --task "$1" --batch "$2"
  CHECKS=$((CHECKS + 1))
  wait_for 60 at_least completed $((before + $3)) && pass "$4" ||
    fail "$4: $(($(count_status completed) - before)) of $3 completed"
}

"${OPS[@]}" serve --no-api 2>"$WORK/serve.err" &
SERVE=$!
cleanup_hooks+=("kill -9 $SERVE 2>/dev/null")
wait_for 20 grep -q "ratchet serve: ready" "$WORK/serve.jsonl" || fail "serve did not start"

# A first run tells the engine how long `quick` takes.
run "${OPS[@]}" jobs submit --task quick --input-json '{"n": 0}' --wait
expect_rc 0 "a first quick job"

# 3,000 quick jobs on one worker; kill the worker twice while they burn down.
N=3000
seq 1 $N | awk '{printf "{\"n\": %d}\n", $1}' >"$WORK/batch.jsonl"
run "${OPS[@]}" jobs submit --task quick --batch "$WORK/batch.jsonl"
expect_rc 0 "batch submitted"
for k in 1 2; do
  wait_for 30 at_least completed $((k * 600)) || fail "the burn-down stalled before kill $k"
  victim=$(pgrep -P "$SERVE" -f worker | head -1)
  kill -9 "$victim" && pass "worker killed mid burn-down ($k)" || fail "no worker to kill"
  CHECKS=$((CHECKS + 1))
done
wait_for 60 at_least completed $((N + 1)) && pass "all $N jobs completed after two killed workers" ||
  fail "completed: $(count_status completed) of $((N + 1))"
CHECKS=$((CHECKS + 1))
CHECKS=$((CHECKS + 1))
if [ "$(count_status failed)" = 0 ]; then pass "no job failed"; else fail "$(count_status failed) jobs failed"; fi
ahead=$(grep -c 'sent ahead' "$WORK/serve.jsonl" || true)
if [ "$ahead" -gt 1000 ]; then pass "jobs were sent ahead ($ahead of $N)"; else fail "only $ahead jobs sent ahead"; fi
# Each job has one completed execution; the jobs requeued from a killed worker's pipe kept
# their attempt count (only the job it was running counts a retry).
sqlite3 "$WORK/data/ratchet.db" "SELECT count(*) FROM jobs WHERE attempts > 2" >"$WORK/over" 2>/dev/null || echo 0 >"$WORK/over"
CHECKS=$((CHECKS + 1))
if [ "$(cat "$WORK/over")" = 0 ]; then pass "no job ran more than twice"; else fail "$(cat "$WORK/over") jobs ran more than twice"; fi
most=$(grep -o 'sent ahead ([0-9]* waiting)' "$WORK/serve.jsonl" | grep -o '[0-9]*' | sort -n | tail -1)
CHECKS=$((CHECKS + 1))
if [ "${most:-0}" -gt 3 ]; then pass "up to $most jobs wait in a worker's pipe"; else fail "at most ${most:-0} jobs waited in a pipe"; fi
retried=$(sqlite3 "$WORK/data/ratchet.db" "SELECT count(*) FROM jobs WHERE attempts = 2" 2>/dev/null || echo "?")
echo "   (jobs with a second attempt: $retried; requeued from the pipe: $(grep -c 'requeued\|REQUEUE' "$WORK/serve.jsonl" || true))"

# Jobs that fetch: the worker reads the jobs sent ahead while it waits for a fetch's answer,
# keeps them and runs them next (each fetch here fails at once: nothing listens on port 1).
run "${OPS[@]}" jobs submit --task fetchy --input-json '{"n": 0}' --wait
expect_out_contains '"error"' "a first fetching job"
seq 1 300 | awk '{printf "{\"n\": %d}\n", $1}' >"$WORK/batch3.jsonl"
batch_completes fetchy "$WORK/batch3.jsonl" 300 "300 fetching jobs complete on one worker"
CHECKS=$((CHECKS + 1))
if grep -q "unexpected message while waiting for a fetch result" "$WORK/serve.jsonl"; then
  fail "a worker refused a job sent ahead during a fetch"; else pass "jobs sent ahead during fetches are kept"; fi

# A task whose code is large (20 KB): while its worker is busy with a long run, only as many
# jobs go ahead as fit in half the pipe (64 KB): one. More would fill the pipe, and the
# coordinator would wait on the busy worker and then replace it as stuck.
pad=$(head -c 20000 /dev/zero | tr '\0' x)
mk bigslow "var pad = \"$pad\"; function main(input) { var end = Date.now() + input.ms; while (Date.now() < end) {} return {ms: input.ms, len: pad.length}; }"
run "${OPS[@]}" jobs submit --task bigslow --input-json '{"ms": 0}' --wait
expect_out_contains '20000' "a first short run of a task with large code"
lines=$(wc -l <"$WORK/serve.jsonl")
worker_before=$(pgrep -P "$SERVE" -f worker | head -1)
big=$("${OPS[@]}" jobs submit --task bigslow --input-json '{"ms": 2500}' | grep -o '[0-9]*' | head -1)
wait_for 10 status_is "$big" processing || fail "the long run of bigslow never started"
seq 1 10 | awk '{printf "{\"ms\": 0, \"n\": %d}\n", $1}' >"$WORK/batch4.jsonl"
batch_completes bigslow "$WORK/batch4.jsonl" 11 "the long run and 10 jobs behind it complete"
tail -n +"$((lines + 1))" "$WORK/serve.jsonl" >"$WORK/big.jsonl"
CHECKS=$((CHECKS + 1))
if grep -q 'sent ahead ([2-9][0-9]* waiting)' "$WORK/big.jsonl"; then
  fail "more large-code jobs sent ahead than the pipe holds"
elif grep -q 'sent ahead (1 waiting)' "$WORK/big.jsonl"; then pass "one large-code job sent ahead"
else fail "no large-code job was sent ahead"; fi
CHECKS=$((CHECKS + 1))
if [ "$(pgrep -P "$SERVE" -f worker | head -1)" = "$worker_before" ]; then
  pass "the worker was never taken for stuck (the same process ran them all)"
else fail "the worker was replaced during the large-code jobs"; fi

# A job of a short task waits in the pipe behind one long run of it (`slow` with ms 0 is
# short on average): cancelling it while it waits there stops it as it starts (it runs 300 ms,
# long enough to be caught running); the job sent ahead after it goes back to the queue and
# runs.
submit_id() { "${OPS[@]}" jobs submit --task slow --input-json "{\"ms\": $1}" | grep -o '[0-9]*' | head -1; }
run "${OPS[@]}" jobs submit --task slow --input-json '{"ms": 0}' --wait
expect_rc 0 "a first short run of slow"
long=$(submit_id 2500)
wait_for 10 status_is "$long" processing || fail "the long run never started"
b=$(submit_id 300)
c=$(submit_id 0)
wait_for 10 grep -q "job $b sent ahead" "$WORK/serve.jsonl" && pass "a short job is sent ahead behind a long run" ||
  fail "job $b was not sent ahead"
CHECKS=$((CHECKS + 1))
run "${OPS[@]}" jobs cancel "$b"
expect_rc 0 "cancel the job waiting in the pipe"
wait_for 30 status_is "$c" completed && pass "the job after it completes" || fail "job $c: $(job_status "$c")"
CHECKS=$((CHECKS + 1))
same_status() { CHECKS=$((CHECKS + 1)); if [ "$(job_status "$1")" = "$2" ]; then pass "$3"; else fail "$3: $(job_status "$1")"; fi; }
same_status "$long" completed "the long run completes"
same_status "$b" cancelled "the job cancelled in the pipe ends cancelled"

# Now `slow` is long on average: nothing is sent ahead of its runs.
long2=$(submit_id 1500)
d=$(submit_id 0)
wait_for 30 status_is "$d" completed || fail "job $d: $(job_status "$d")"
CHECKS=$((CHECKS + 1))
if grep -q "job $d sent ahead" "$WORK/serve.jsonl"; then fail "job $d was sent ahead of a long task"
else pass "no job is sent ahead of a task that runs long"; fi
same_status "$long2" completed "the second long run completes"
kill -TERM "$SERVE"
wait "$SERVE" && pass "serve exits cleanly" || fail "serve exit status $?"
CHECKS=$((CHECKS + 1))
finish
