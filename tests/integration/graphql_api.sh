#!/usr/bin/env bash
# The GraphQL API (api-graphql) on the real server, as clients use it: `ratchet serve` with
# http (API keys on) + api-rest + api-graphql on an ephemeral loopback port, and curl.
# GraphQL over HTTP (POST and GET, both media types and their status codes, 405 for a
# mutation over GET, 415, 406, malformed bodies), the scopes (a read key cannot mutate),
# queries of every resource, a job queued WITH its input and executeTaskSync returning the
# output, a typed task error, the limits (depth, complexity, document size) as GraphQL errors,
# and - with Node and graphql-js - the served introspection equal to schema.graphql.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
source "$RATCHET_SOURCE_DIR/tests/integration/graphql/serve.sh"
source "$RATCHET_SOURCE_DIR/tests/integration/graphql/client.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
K=("$RATCHET_BIN" --data-dir "$WORK/data")
graphql_chatty_task
mkdir -p "$WORK/tasks"
cp -r "$RATCHET_SOURCE_DIR/sample/addition" "$WORK/tasks/addition"
mkdir -p "$WORK/tasks/boom"
printf '{"name": "boom", "version": "1.0.0"}\n' >"$WORK/tasks/boom/metadata.json"
printf 'function main(input) { throw new ValidationError("no good"); }\n' >"$WORK/tasks/boom/main.js"

READ=$("${K[@]}" keys create --name reader --scope read 2>/dev/null)
WRITE=$("${K[@]}" keys create --name writer --scope write 2>/dev/null)
graphql_serve '  - name: http
    plugin: http
    options: {listen: "127.0.0.1:0", auth: api_key}
  - name: api
    plugin: api-rest
  - name: graphql
    plugin: api-graphql
    options: {max_depth: 15, max_complexity: 1000, max_document_size: 4KiB}'

# ---- GraphQL over HTTP ------------------------------------------------------------------------
gql "$READ" "$JSON" '{ tasks { items { name version enabled } meta { total hasNext } } }'
expect 200 "tasks over POST" '"name":"addition"'
expect_eq "$CTYPE" "application/json; charset=utf-8" "application/json when that is accepted"
gql "$READ" "$GQLJ, $JSON;q=0.9" '{ task(id: "addition") { name availableVersions } }'
expect 200 "task by name" '"availableVersions":["1.0.0"]'
expect_eq "$CTYPE" "application/graphql-response+json; charset=utf-8" "the GraphQL media type when accepted"

CODE=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $READ" -H "Accept: $GQLJ" \
  -G "$U/graphql" --data-urlencode 'query=query Q($n: ApiId!) { task(id: $n) { name } }' \
  --data-urlencode 'variables={"n": "addition"}' --data-urlencode 'operationName=Q')
BODY=$(cat "$WORK/body")
expect 200 "a query over GET with variables and operationName" '{"data":{"task":{"name":"addition"}}}'
CODE=$(curl -s -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' -H "Authorization: Bearer $WRITE" \
  -G "$U/graphql" --data-urlencode 'query=mutation { syncTasks { unchanged } }')
BODY=$(cat "$WORK/body")
expect 405 "a mutation over GET" "Mutations are sent with POST"
CHECKS=$((CHECKS + 1))
grep -qi '^allow: POST' "$WORK/headers" && pass "405 says Allow: POST" || fail "no Allow: POST"

gql "$READ" "$GQLJ" '{ tasks { itemz } }'
expect 400 "a validation error with the GraphQL media type" 'Cannot query field \"itemz\" on type \"TaskList\". Did you mean \"items\"?'
gql "$READ" "$JSON" '{ tasks { itemz } }'
expect 200 "a validation error with application/json" '"locations":[{"line":1,"column":11}]'
gql "$READ" "$GQLJ" '{ tasks { items { name } }'
expect 400 "a syntax error" 'Syntax Error: Expected Name, found <EOF>.'
gql "$READ" "$GQLJ" 'query A { health { status } } query B { workers { id } }' '' 'C'
expect 400 "an operation name that does not exist" 'Unknown operation named \"C\".'
gql "$READ" "$GQLJ" 'query ($id: ApiId!) { job(id: $id) { id } }' '{}'
expect 400 "a missing required variable" 'Variable \"$id\" of required type \"ApiId!\" was not provided.'
gql "$READ" "$GQLJ" 'query ($l: Int) { tasks(limit: $l) { meta { total } } }' '{"l": "ten"}'
expect 400 "a variable of the wrong type" 'Int cannot represent non-integer value: \"ten\"'
CODE=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $READ" \
  -H 'Content-Type: application/json' --data-binary '{"query": ' "$U/graphql"); BODY=$(cat "$WORK/body")
expect 400 "a body that is not JSON" "The body must be a JSON object"
CODE=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST -H "Authorization: Bearer $READ" \
  -H 'Content-Type: text/plain' --data-binary '{ health { status } }' "$U/graphql"); BODY=$(cat "$WORK/body")
expect 415 "a body that is not application/json"
CODE=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $READ" -H 'Accept: text/html' \
  -G "$U/graphql" --data-urlencode 'query={ health { status } }'); BODY=$(cat "$WORK/body")
expect 406 "an Accept header with neither media type"
CODE=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data-binary '{"query": "{ health { status } }"}' "$U/graphql"); BODY=$(cat "$WORK/body")
expect 401 "no API key"

# ---- scopes and mutations -----------------------------------------------------------------------
gql "$READ" "$GQLJ" 'mutation { executeTask(input: {taskId: "addition", inputData: {num1: 1, num2: 2}}) { id } }'
expect 403 "a read key cannot mutate" "Mutations need an API key with the write scope."
gql "$WRITE" "$GQLJ" 'mutation ($in: JSON) { executeTask(input: {taskId: "addition", inputData: $in, priority: HIGH}) { id status priority input taskName } }' '{"in": {"num1": 20, "num2": 22}}'
expect 200 "executeTask queues a job" '"taskName":"addition"'
CHECKS=$((CHECKS + 1))
case $(jget 'd["data"]["executeTask"]["status"]') in
  QUEUED|PROCESSING|COMPLETED) pass "the job's status is an enum value" ;;
  *) fail "job status: $BODY" ;;
esac
expect_eq "$(jget 'd["data"]["executeTask"]["input"]')" "{'num1': 20, 'num2': 22}" "the job keeps its input"
expect_eq "$(jget 'd["data"]["executeTask"]["priority"]')" "HIGH" "and its priority"
JOB=$(jget 'd["data"]["executeTask"]["id"]')
gql "$WRITE" "$GQLJ" 'mutation { executeTaskSync(input: {taskId: "addition", inputData: {num1: 2, num2: 3}}, timeoutSeconds: 60) { status output timedOut job { id taskName execution { status durationMs } } } }'
expect 200 "executeTaskSync" '"output":{"sum":5}'
expect_eq "$(jget 'd["data"]["executeTaskSync"]["status"]')" "COMPLETED" "executeTaskSync waits until the job completed"
gql "$WRITE" "$GQLJ" 'mutation { executeTaskSync(input: {taskId: "boom"}) { status error { code message } } }'
expect 200 "executeTaskSync of a failing task" '"status":"FAILED"'
expect_eq "$(jget 'd["data"]["executeTaskSync"]["error"]["message"]')" "no good" "with the task's typed error"
gql "$WRITE" "$GQLJ" 'mutation { executeTask(input: {taskId: "addition", inputData: {num1: "x"}}) { id } }'
expect 200 "an input the task's schema refuses" '"code":"VALIDATION_ERROR"'
gql "$WRITE" "$GQLJ" 'mutation { executeTask(input: {taskId: "nope"}) { id } }'
expect 200 "a task that does not exist: data null, an error with its path" '"path":["executeTask"]'
gql "$READ" "$GQLJ" "{ job(id: \"$JOB\") { id status input execution { id } } jobs(filters: {taskName: \"addition\"}, sort: {field: \"id\", direction: DESC}, limit: 5) { items { id } meta { total limit } } }"
expect 200 "job and jobs(filters, sort, limit)" "\"id\":\"$JOB\""
gql "$WRITE" "$GQLJ" 'mutation { createSchedule(input: {taskId: "addition", name: "every-minute", cronExpression: "* * * * *", input: {num1: 1, num2: 1}, enabled: false}) { id name cronExpression enabled taskName } }'
expect 200 "createSchedule" '"cronExpression":"* * * * *"'
gql "$WRITE" "$GQLJ" 'mutation { createSchedule(input: {taskId: "addition", name: "bad", cronExpression: "not cron"}) { id } }'
expect 200 "a bad cron expression is a GraphQL error" '"code":"VALIDATION_ERROR"'
gql "$WRITE" "$GQLJ" 'mutation { e: enableSchedule(id: "every-minute") { enabled } t: triggerSchedule(id: "every-minute") { id taskName } d: deleteSchedule(id: "every-minute") }'
expect 200 "schedule mutations" '"d":true'
gql "$READ" "$GQLJ" '{ schedules { items { name } meta { total } } executions(limit: 3) { items { id status canRetry } } workers { id status tasksExecuted } workerStats { totalWorkers } jobStats { totalJobs completedJobs } taskStats { totalTasks } executionStats { totalExecutions } scheduleStats { totalSchedules } health { status database } }'
expect 200 "lists, workers, statistics and health" '"totalWorkers":1'

# ---- limits -------------------------------------------------------------------------------------
deep='{ tasks { items { jobs { items { execution { job { execution { job { execution { job { execution { job { execution { job { execution { job { id } } } } } } } } } } } } } } } } }'
gql "$READ" "$GQLJ" "$deep"
expect 400 "the depth limit" "The query is deeper than the maximum depth of 15."
big=$(python3 -c 'print("{ " + " ".join("a%d: health { status }" % i for i in range(400)) + " }")')
gql "$READ" "$GQLJ" "$big"
expect 400 "the document size limit" "over the maximum document size of 4096 bytes"
many=$(python3 -c 'print("{ tasks { items { " + " ".join("v%d: name" % i for i in range(60)) + " } } }")')
gql "$READ" "$GQLJ" "$many"
expect 400 "the alias limit" "over the maximum of 50 aliases"

# ---- subscriptions over Server-Sent Events (curl) ---------------------------------------------
curl -s -N -m 30 -D "$WORK/sse.h" -o "$WORK/sse" -H "Authorization: Bearer $WRITE" \
  -H 'Accept: text/event-stream' -H 'Content-Type: application/json' --data-binary \
  '{"query": "subscription { taskExecutions(taskId: \"addition\") { jobId status final taskName } }"}' \
  "$U/graphql" &
SSE=$!
wait_for 10 test -s "$WORK/sse.h" || fail "the event stream did not open"
gql "$WRITE" "$GQLJ" 'mutation { executeTask(input: {taskId: "addition", inputData: {num1: 1, num2: 1}}) { id } }'
J=$(jget 'd["data"]["executeTask"]["id"]')
LIVE="\"taskExecutions\":{\"jobId\":\"$J\",\"status\":\"COMPLETED\",\"final\":true,\"taskName\":\"addition\"}"
wait_for 20 grep -qF "$LIVE" "$WORK/sse"
kill "$SSE" 2>/dev/null; wait "$SSE" 2>/dev/null
CHECKS=$((CHECKS + 1))
if grep -q '^event: next$' "$WORK/sse" && grep -qF "$LIVE" "$WORK/sse" &&
   grep -qi '^content-type: text/event-stream' "$WORK/sse.h"; then
  pass "taskExecutions streams the status of a job queued after it opened (graphql-sse events)"
else fail "taskExecutions stream: $(head -c 600 "$WORK/sse")"; fi
CODE=$(curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $READ" -H 'Accept: text/event-stream' \
  -H 'Content-Type: application/json' --data-binary '{"query": "{ health { status } }"}' "$U/graphql")
BODY=$(cat "$WORK/body")
expect 200 "a query over the event stream: one next, then complete" 'event: complete'

# ---- with graphql-js and the graphql-sse client ----------------------------------------------
CACHE=${RATCHET_NPM_CACHE:-$RATCHET_SOURCE_DIR/.cache/npm-graphql}
if command -v node >/dev/null && { [ -d "$CACHE/node_modules/graphql-sse" ] ||
   npm install --prefix "$CACHE" --no-audit --no-fund graphql@16 graphql-sse@2 >"$WORK/npm.log" 2>&1; }; then
  cp "$RATCHET_SOURCE_DIR/tests/integration/graphql/sse_client.mjs" "$CACHE/sse_client.mjs"
  run timeout 120 node "$CACHE/sse_client.mjs" "$U/graphql" "$WRITE"
  echo "$OUT"
  expect_rc 0 "the graphql-sse client receives subscription events while a task runs"
  [ "$RC" -eq 0 ] || echo "$ERR" >&2
  cp "$RATCHET_SOURCE_DIR/tests/integration/graphql/served_schema.mjs" "$CACHE/served_schema.mjs"
  run node "$CACHE/served_schema.mjs" "$U/graphql" "$READ" "$RATCHET_SOURCE_DIR/plugins/api-graphql/schema.graphql"
  expect_rc 0 "graphql-js: the served introspection is schema.graphql and valid"
  [ "$RC" -eq 0 ] || echo "$OUT $ERR" >&2
else
  echo "note: Node or the npm packages are not available; the graphql-js checks are skipped"
fi
finish
