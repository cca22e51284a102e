#!/usr/bin/env bash
# The REST API as a client uses it: the real `ratchet serve` (http + api-rest on an ephemeral
# loopback port) and curl. Every resource's routes, a job submitted over HTTP and run by a
# worker, execute with wait (200, and 202 for a slow task), Server-Sent Events read while a
# task logs (and resumed with Last-Event-ID), each bad-input class with its status and message,
# the envelopes and pagination, and real responses validated against the OpenAPI document's
# schemas with `ratchet schema check`.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
mkdir -p "$WORK/tasks"
cp -r "$RATCHET_SOURCE_DIR/sample/addition" "$WORK/tasks/addition"
mk slow 'function main(input) { var end = Date.now() + input.ms; while (Date.now() < end) {} return {slept: input.ms}; }'
mk boom 'function main(input) { throw new ValidationError("no good"); }'
mk chatty 'function main(input) { for (var i = 0; i < 5; i++) { console.log("line " + i); var end = Date.now() + 150; while (Date.now() < end) {} } return {lines: 5}; }'
cat >"$WORK/r.yaml" <<YAML
execution:
  timeout: 20s
engine:
  workers: 2
  max_retries: 0
  shutdown_grace: 1s
$(rest_instances)
YAML
serve_listening "$WORK/r.yaml" || finish

# call METHOD PATH [curl args...]: sets CODE, BODY (and the headers in $WORK/headers).
call() {
  local m=$1 p=$2; shift 2
  CODE=$(curl -s -X "$m" -D "$WORK/headers" -o "$WORK/body" -w '%{http_code}' "$@" "$BASE$p")
  BODY=$(cat "$WORK/body")
}
post_json() { local p=$1 b=$2; shift 2; call POST "$p" -H 'Content-Type: application/json' --data-binary "$b" "$@"; }
# jget EXPR: a value of the last body, by a Python expression on `d`.
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body" 2>/dev/null; }
expect() { # expect CODE DESCRIPTION [TEXT-IN-BODY]
  CHECKS=$((CHECKS + 1))
  if [ "$CODE" = "$1" ] && { [ -z "${3:-}" ] || grep -qF -- "$3" <<<"$BODY"; }; then pass "$2 ($CODE)"; else
    fail "$2: expected $1${3:+ with '$3'}, got $CODE: $BODY"; fi
}
expect_eq() { # expect_eq ACTUAL WANTED DESCRIPTION
  CHECKS=$((CHECKS + 1))
  if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: got '$1', wanted '$2' (body: $BODY)"; fi
}
header() { grep -i "^$1:" "$WORK/headers" | head -1 | sed 's/^[^:]*: *//; s/\r$//'; }
# Keep a response to validate against a schema of the document at the end.
SAVED=()
save() { cp "$WORK/body" "$WORK/resp-${#SAVED[@]}.json"; SAVED+=("$1"); }
job_done() { call GET "/api/v1/jobs/$1"; case "$(jget 'd["data"]["status"]')" in completed|failed|cancelled) return 0;; esac; return 1; }

# ---- the service -------------------------------------------------------------------------
call GET /
expect 200 "GET /" '"service":"ratchet"'
expect_eq "$(jget 'd["endpoints"]["restApi"]')" "/api/v1" "GET / links the REST API"
save Root
call GET /health; expect 200 "health" '"status":"healthy"'; save Health
call GET /health/detailed; expect 200 "detailed health" '"checks"'; save HealthDetailed
call GET /ready; expect 200 "ready" '"status":"ready"'; save Probe
call GET /live; expect 200 "live" '"status":"alive"'; save Probe
call GET /metrics
expect 200 "metrics" "ratchet_jobs"
expect_eq "$(header Content-Type)" "text/plain; version=0.0.4; charset=utf-8" "metrics content type"
grep -q '^ratchet_http' "$WORK/body" && pass "metrics include the http plugin's" || fail "no ratchet_http metrics"
call GET /api-docs/openapi.json; expect 200 "OpenAPI document"
expect_eq "$(jget 'd["openapi"]')" "3.1.0" "OpenAPI 3.1"
cp "$WORK/body" "$WORK/openapi.json"

# Every documented route is served: no 405 and no "no route" 404 for a documented method.
python3 - "$WORK/openapi.json" >"$WORK/routes" <<'PY'
import json, sys
for path, item in json.load(open(sys.argv[1]))["paths"].items():
    for m in item:
        if m in ("get", "post", "patch", "delete"):
            print(m.upper(), path.replace("{id}", "999999"))
PY
while read -r m p; do
  [ "$m" = GET ] && case "$p" in */events) continue;; esac # streams are checked below
  [ "$p" = /api/v1/tasks/sync ] && continue                  # has effects; checked below
  call "$m" "$p" -H 'Content-Type: application/json' --data-binary '{}' --max-time 5
  CHECKS=$((CHECKS + 1))
  if [ "$CODE" = 405 ] || grep -qF "no route for this path" <<<"$BODY"; then
    fail "documented $m $p is not served: $CODE $BODY"; else pass "documented $m $p served ($CODE)"; fi
done <"$WORK/routes"

# ---- tasks ----------------------------------------------------------------------------
call GET "/api/v1/tasks?_sort=name&_order=ASC"
expect 200 "list tasks" '"pagination"'
expect_eq "$(jget 'd["data"][0]["name"]')" "addition" "tasks sorted by name"
expect_eq "$(jget 'd["meta"]["pagination"]["total"]')" "4" "four tasks"
save TaskList
call GET /api/v1/tasks/addition; expect 200 "task by name" '"name":"addition"'; save TaskEnvelope
TASK_ID=$(jget 'd["data"]["id"]')
call GET "/api/v1/tasks/$TASK_ID"; expect 200 "task by id" '"name":"addition"'
call GET /api/v1/tasks/nope; expect 404 "unknown task" '"code":"NOT_FOUND"'; save ErrorEnvelope
call GET /api/v1/tasks/stats; expect 200 "task stats" '"period":null'; save StatsEnvelope
call POST /api/v1/tasks/sync; expect 200 "sync" '"data"'; save SyncEnvelope
call GET "/api/v1/tasks?name_like=ADD"; expect_eq "$(jget 'd["meta"]["pagination"]["total"]')" "1" "name_like filter"
call GET "/api/v1/tasks?colour=red"; expect 400 "unknown filter field" '"code":"VALIDATION_ERROR"'

# ---- jobs ---------------------------------------------------------------------------
post_json /api/v1/jobs '{"taskName": "addition", "input": {"num1": 2, "num2": 40}, "priority": "HIGH"}'
expect 201 "create job" '"data"'
JOB=$(jget 'd["data"]["id"]')
expect_eq "$(header Location)" "/api/v1/jobs/$JOB" "Location of the job"
save JobEnvelope
wait_for 20 job_done "$JOB" || fail "job $JOB did not end"
call GET "/api/v1/jobs/$JOB"
expect 200 "job completed by a worker" '"status":"completed"'
expect_eq "$(jget 'd["data"]["output"]["sum"]')" "42" "job output"
EXEC=$(jget 'd["data"]["executionId"]')
for i in 1 2; do post_json /api/v1/jobs '{"taskId": '"$TASK_ID"', "input": {"num1": 1, "num2": 1}}'; done
call GET "/api/v1/jobs?page=1&limit=2"
expect 200 "jobs page 1"
expect_eq "$(jget 'd["meta"]["pagination"]["hasNext"]')" "True" "hasNext"
expect_eq "$(jget 'len(d["data"])')" "2" "limit 2"
save JobList
call GET "/api/v1/jobs?page=2&limit=2"
expect_eq "$(jget '[d["meta"]["pagination"][k] for k in ("page","offset","hasPrevious","totalPages")]')" "[2, 2, True, 2]" "page 2 meta"
call GET "/api/v1/jobs?_start=1&_end=3"; expect_eq "$(jget 'd["meta"]["pagination"]["offset"]')" "1" "_start/_end"
call GET "/api/v1/jobs?task_name=addition&status_in=COMPLETED,queued"
expect 200 "snake_case and _in filters"
expect_eq "$(jget 'sorted(set(j["taskName"] for j in d["data"]))')" "['addition']" "task_name filter"
call GET "/api/v1/jobs?status=sleeping"; expect 400 "unknown status in a filter" '"VALIDATION_ERROR"'
call GET "/api/v1/jobs?id_gt=$JOB&_order=asc&_sort=id"
expect_eq "$(jget 'd["data"][0]["id"] > '"$JOB")" "True" "_gt filter"
call GET "/api/v1/jobs?limit=500"; expect 400 "limit over 100" "limit must be an integer from 1 to 100, not '500'"
call GET "/api/v1/jobs?page=0"; expect 400 "page 0" "page must be an integer from 1"
call GET "/api/v1/jobs?_start=5&_end=2"; expect 400 "_start >= _end" "_start (5) must be less than _end (2)"
call GET "/api/v1/jobs?_order=sideways"; expect 400 "bad _order" "_order must be asc or desc"
call GET /api/v1/jobs/stats; expect 200 "job stats" '"stats"'; save StatsEnvelope

# Bad input, each with its status and message; the server keeps serving.
post_json /api/v1/jobs '{"taskName": "addition", "input": {'
expect 400 "malformed JSON" "malformed JSON body"
grep -q "offset" <<<"$BODY" && pass "the parse error says where" || fail "no offset in: $BODY"
call POST /api/v1/jobs -H 'Content-Type: text/plain' --data-binary '{"taskName": "addition"}'
expect 415 "wrong content type" "must be application/json, not text/plain"
call POST /api/v1/jobs; expect 400 "no body" "a JSON object is required"
post_json /api/v1/jobs '{"taskName": "addition", "priority": 5}'
expect 400 "wrong type" "field 'priority' must be a string, not an integer"
post_json /api/v1/jobs '{"taskName": "addition", "priority": "extreme"}'
expect 400 "unknown enum value" "field 'priority' must be one of low|normal|high|urgent|critical"
post_json /api/v1/jobs '{"taskName": "addition", "inptu": {}}'; expect 400 "unknown field" "unknown field 'inptu'"
post_json /api/v1/jobs '{"taskName": "nope", "input": {}}'; expect 404 "job for an unknown task" '"NOT_FOUND"'
post_json /api/v1/jobs '{"taskName": "addition", "input": {"num1": "x"}}'
expect 400 "input against the task's schema" '"code":"VALIDATION_ERROR"'
call GET /api/v1/jobs/abc; expect 404 "non-numeric id" "job 'abc' not found"
call GET /api/v1/jobs/999999; expect 404 "unknown id" '"NOT_FOUND"'
call POST /api/v1/tasks/addition/disable; expect 200 "disable task" '"success":true'; save TaskAction
post_json /api/v1/jobs '{"taskName": "addition", "input": {"num1": 1, "num2": 1}}'
expect 409 "job for a disabled task" '"code":"CONFLICT"'
call POST /api/v1/tasks/addition/enable; expect 200 "enable task" '"enabled":true'
call POST "/api/v1/jobs/$JOB/cancel"; expect 409 "cancel a completed job" '"CONFLICT"'
post_json /api/v1/jobs '{"taskName": "slow", "input": {"ms": 3000}}'
SLOW=$(jget 'd["data"]["id"]')
call POST "/api/v1/jobs/$SLOW/cancel"; expect 200 "cancel a job" '"success":true'; save JobAction
wait_for 20 job_done "$SLOW" || fail "cancelled job did not end"
call POST "/api/v1/jobs/$SLOW/retry"; expect 200 "retry a cancelled job" '"success":true'
call POST "/api/v1/jobs/$SLOW/cancel"

# ---- executions -------------------------------------------------------------------------
call GET /api/v1/executions; expect 200 "list executions" '"pagination"'; save ExecutionList
call GET "/api/v1/executions/$EXEC"; expect 200 "get execution" "\"jobId\":$JOB"; save ExecutionEnvelope
call GET "/api/v1/executions?job_id=$JOB"; expect_eq "$(jget 'd["meta"]["pagination"]["total"]')" "1" "executions by job"
call GET /api/v1/executions/stats; expect 200 "execution stats" '"stats"'
call GET /api/v1/executions/xyz; expect 404 "non-numeric execution id" "execution 'xyz' not found"
call POST "/api/v1/executions/$EXEC/cancel"; expect 409 "cancel a finished execution" '"CONFLICT"'

# ---- execute ------------------------------------------------------------------------------
post_json /api/v1/tasks/addition/execute '{"input": {"num1": 20, "num2": 22}}'
expect 200 "execute waits for the result" '"status":"completed"'
expect_eq "$(jget 'd["data"]["output"]["sum"]')" "42" "execute output"
save ExecuteResult
call POST /api/v1/tasks/boom/execute
expect 200 "a failed execution is a result" '"status":"failed"'
grep -q "no good" <<<"$BODY" && pass "the typed error is returned" || fail "no error in: $BODY"
BOOM_EXEC=$(jget 'd["data"]["executionId"]')
call POST "/api/v1/executions/$BOOM_EXEC/retry"; expect 200 "retry a failed execution" '"success":true'
post_json "/api/v1/tasks/slow/execute?wait=0" '{"input": {"ms": 1500}}'
expect 202 "wait=0 answers at once" '"links"'
SLOWJOB=$(jget 'd["data"]["jobId"]')
expect_eq "$(header Location)" "/api/v1/jobs/$SLOWJOB" "202 Location"
save ExecuteAccepted
post_json "/api/v1/tasks/slow/execute?wait=1" '{"input": {"ms": 4000}}'
expect 202 "not done within wait" "\"events\":\"/api/v1/jobs/"
post_json "/api/v1/tasks/addition/execute?wait=301" '{}'; expect 400 "wait over 300" "wait must be a number of seconds from 0 to 300"
post_json /api/v1/tasks/nope/execute '{}'; expect 404 "execute an unknown task" '"NOT_FOUND"'
call POST /api/v1/tasks/slow/disable
post_json /api/v1/tasks/slow/execute '{"input": {"ms": 1}}'; expect 409 "execute a disabled task" '"CONFLICT"'
call POST /api/v1/tasks/slow/enable

# ---- events (SSE) --------------------------------------------------------------------------
post_json /api/v1/jobs '{"taskName": "chatty", "input": {}}'
CHATTY=$(jget 'd["data"]["id"]')
curl -s -N --max-time 20 "$BASE/api/v1/jobs/$CHATTY/events" >"$WORK/sse" &
SSE=$!
wait $SSE && sse_rc=0 || sse_rc=$?
CHECKS=$((CHECKS + 1))
[ $sse_rc -eq 0 ] && pass "the stream ends after the final status" || fail "the event stream did not end ($sse_rc)"
BODY=$(cat "$WORK/sse")
grep -c '^event: log$' "$WORK/sse" | grep -qx 5 && pass "five console lines as events" || fail "log events: $BODY"
grep -q '^data: {.*"message":"line 4"' "$WORK/sse" && pass "log data" || fail "no line 4: $BODY"
tail -4 "$WORK/sse" | grep -q '"final":true' && pass "final status last" || fail "final status not last: $BODY"
for kind in log status; do # the data of one event of each kind, against the Event schema
  grep -A1 "^event: $kind\$" "$WORK/sse" | grep -m1 '^data: ' | cut -c7- >"$WORK/body"; save Event
done
FIRST=$(grep -m1 '^id: ' "$WORK/sse" | cut -d' ' -f2)
SECOND=$(grep '^id: ' "$WORK/sse" | sed -n 2p | cut -d' ' -f2)
curl -s -N --max-time 10 -H "Last-Event-ID: $FIRST" "$BASE/api/v1/jobs/$CHATTY/events" >"$WORK/sse2"
BODY=$(cat "$WORK/sse2")
CHECKS=$((CHECKS + 1))
if ! grep -qx "id: $FIRST" "$WORK/sse2" && grep -qx "id: $SECOND" "$WORK/sse2"; then
  pass "Last-Event-ID resumes after $FIRST"; else fail "resume after $FIRST: $BODY"; fi
curl -s -N --max-time 10 "$BASE/api/v1/jobs/$CHATTY/events?lastEventId=$SECOND" | grep -qx "id: $FIRST" &&
  fail "?lastEventId= did not resume" || pass "?lastEventId= resumes"
call GET /api/v1/jobs/999999/events; expect 404 "events of an unknown job" '"NOT_FOUND"'
call GET /api/v1/jobs/1/events -H 'Last-Event-ID: soon'; expect 400 "bad Last-Event-ID" "Last-Event-ID must be an event id"
CHATTY_EXEC=$(call GET "/api/v1/jobs/$CHATTY"; jget 'd["data"]["executionId"]')
curl -s -N --max-time 10 "$BASE/api/v1/executions/$CHATTY_EXEC/events" >"$WORK/sse3"
BODY=$(cat "$WORK/sse3")
grep -q '^event: status$' "$WORK/sse3" && pass "execution events end with its status" || fail "execution events: $BODY"
call GET "/api/v1/executions/$CHATTY_EXEC/logs?limit=2"
expect 200 "execution logs" '"kind":"log"'
expect_eq "$(jget '[d["meta"]["pagination"]["total"], len(d["data"])]')" "[5, 2]" "logs paginated"
save LogList
call GET "/api/v1/executions/$CHATTY_EXEC/logs?kind=log&_start=4&_end=5"
expect_eq "$(jget 'd["data"][0]["message"]')" "line 4" "logs by _start/_end"

# ---- schedules ----------------------------------------------------------------------------
post_json /api/v1/schedules '{"name": "yearly", "taskName": "addition", "cron": "0 0 1 1 *", "input": {"num1": 1, "num2": 2}}'
expect 201 "create schedule" '"name":"yearly"'
SCHED=$(jget 'd["data"]["id"]')
save ScheduleEnvelope
post_json /api/v1/schedules '{"name": "bad", "taskName": "addition", "cron": "61 * * * *"}'
expect 400 "bad cron" '"VALIDATION_ERROR"'
post_json /api/v1/schedules '{"name": "bad", "taskName": "addition", "cron": 5}'
expect 400 "cron of the wrong type" "field 'cron' must be a string, not an integer"
# an expression cronie reads otherwise is kept, with both readings in cronWarning
post_json /api/v1/schedules '{"name": "odd", "taskName": "addition", "cron": "0 0 */2 * MON", "input": {"num1": 1, "num2": 2}}'
expect 201 "a schedule cronie reads otherwise is created" "is read differently by cronie and Vixie cron"
expect_eq "$(jget '"EITHER field matches" in d["data"]["cronWarning"] and "write it '"'"'0 0 1-31/2 * MON'"'"'" in d["data"]["cronWarning"]')" \
  "True" "cronWarning gives both readings and the portable spelling"
save ScheduleEnvelope
call DELETE /api/v1/schedules/odd; expect 200 "delete it" '"success":true'
call GET /api/v1/schedules/yearly; expect 200 "schedule by name" "\"id\":$SCHED"
call GET "/api/v1/schedules/$SCHED"; expect 200 "schedule by id" '"cron":"0 0 1 1 *"'
call PATCH "/api/v1/schedules/$SCHED" -H 'Content-Type: application/json' --data-binary '{"cron": "0 0 2 1 *"}'
expect 200 "update schedule" '"cron":"0 0 2 1 *"'
call PATCH "/api/v1/schedules/$SCHED" -H 'Content-Type: application/json' --data-binary '{"name": "x"}'
expect 400 "name cannot be patched" "unknown field 'name'"
call POST "/api/v1/schedules/$SCHED/disable"; expect 200 "disable schedule" '"success":true'; save ScheduleAction
call POST "/api/v1/schedules/$SCHED/trigger"; expect 409 "trigger a disabled schedule" '"CONFLICT"'
call POST "/api/v1/schedules/$SCHED/enable"; expect 200 "enable schedule" '"enabled":true'
call POST "/api/v1/schedules/$SCHED/trigger"; expect 200 "trigger schedule" '"job"'; save TriggerEnvelope
call GET /api/v1/schedules; expect 200 "list schedules" '"yearly"'; save ScheduleList
call GET /api/v1/schedules/stats; expect 200 "schedule stats" '"stats"'
call DELETE "/api/v1/schedules/$SCHED"; expect 200 "delete schedule" '"success":true'; save Action
call GET "/api/v1/schedules/$SCHED"; expect 404 "deleted schedule" '"NOT_FOUND"'

# ---- workers --------------------------------------------------------------------------------
call GET /api/v1/workers; expect 200 "workers" '"pid"'; save WorkerList
expect_eq "$(jget 'len(d["data"])')" "2" "the pool's two workers"
call GET /api/v1/workers/stats; expect 200 "worker stats" '"stats"'

# ---- method and route errors (the http plugin's, with the envelope) -----------------------
call DELETE /api/v1/jobs; expect 405 "wrong method" '"code"'
grep -qi '^allow:' "$WORK/headers" && pass "405 has Allow" || fail "no Allow header"
call GET /api/v1/nothing; expect 404 "unknown route" '"NOT_FOUND"'

# ---- real responses against the document's schemas -----------------------------------------
for i in "${!SAVED[@]}"; do
  printf '{"$ref": "openapi.json#/components/schemas/%s"}\n' "${SAVED[$i]}" >"$WORK/schema-$i.json"
  run "$R" schema check "$WORK/schema-$i.json" "$WORK/resp-$i.json"
  expect_rc 0 "response $i matches ${SAVED[$i]}"
done

# ---- SIGTERM with an event stream and a waiting execute open: both end cleanly --------------
post_json /api/v1/jobs '{"taskName": "slow", "input": {"ms": 15000}}'
LONG=$(jget 'd["data"]["id"]')
curl -s -N --max-time 30 "$BASE/api/v1/jobs/$LONG/events" >"$WORK/sse-term" &
SSE=$!
curl -s -o "$WORK/exec-term" -w '%{http_code}' --max-time 30 -X POST -H 'Content-Type: application/json' \
  --data-binary '{"input": {"ms": 15000}}' "$BASE/api/v1/tasks/slow/execute?wait=60" >"$WORK/exec-term-code" &
EXE=$!
running() { grep -q '"status":"running"' "$WORK/sse-term"; }
wait_for 20 running || fail "the long job did not start"
kill -TERM $SERVE
wait $SERVE && RC=0 || RC=$?
expect_rc 0 "serve stops cleanly on SIGTERM with a stream and a waiting request open"
wait $SSE && RC=0 || RC=$?
expect_rc 0 "the event stream ended with the server"
BODY=$(cat "$WORK/sse-term")
CHECKS=$((CHECKS + 1))
if tail -3 "$WORK/sse-term" | grep -qx 'event: end' || tail -4 "$WORK/sse-term" | grep -q '"final":true'; then
  pass "the stream's last event is 'end' or the final status"; else fail "stream at shutdown: $BODY"; fi
wait $EXE
CODE=$(cat "$WORK/exec-term-code"); BODY=$(cat "$WORK/exec-term")
expect 202 "a waiting execute is answered at shutdown" '"links"'
finish
