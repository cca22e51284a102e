#!/usr/bin/env bash
# The REST routes the web UI uses, on the real `ratchet serve` with `auth: api_key` and curl:
# whoami, API keys over REST (admin only; a revoked key - also the one in use - is refused at
# its next request), the cron preview (the scheduler's own errors), input validation without a
# run, a task's source and tests, running its tests, and executions per minute. Each error
# class with its status and message.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
K=("$RATCHET_BIN" --data-dir "$WORK/data")
mkdir -p "$WORK/tasks"
cp -r "$RATCHET_SOURCE_DIR/sample/addition" "$WORK/tasks/addition"
mkdir -p "$WORK/tasks/boom"
printf '{"name": "boom", "version": "1.0.0"}\n' >"$WORK/tasks/boom/metadata.json"
printf 'function main(input) { throw new Error("no good"); }\n' >"$WORK/tasks/boom/main.js"

ADMIN=$("${K[@]}" keys create --name root --scope admin 2>/dev/null)
READ=$("${K[@]}" keys create --name viewer --scope read 2>/dev/null)
WRITE=$("${K[@]}" keys create --name ops --scope write 2>/dev/null)
cat >"$WORK/r.yaml" <<YAML
engine: {workers: 1, max_retries: 0}
instances:
  - {name: console, plugin: logger-console}
  - {name: http, plugin: http, options: {listen: "127.0.0.1:0", auth: api_key}}
  - {name: api, plugin: api-rest}
YAML
serve_bg "$WORK/serve.err" "${K[@]}" --config "$WORK/r.yaml" --tasks "$WORK/tasks" serve || finish

# call KEY METHOD PATH [curl args...]: CODE and BODY (KEY "" sends none).
call() {
  local key=$1 m=$2 p=$3; shift 3
  local auth=(); [ -n "$key" ] && auth=(-H "Authorization: Bearer $key")
  CODE=$(curl -s -X "$m" -o "$WORK/body" -w '%{http_code}' "${auth[@]}" "$@" "$BASE$p")
  BODY=$(cat "$WORK/body")
}
post() { local key=$1 p=$2 b=$3; shift 3; call "$key" POST "$p" -H 'Content-Type: application/json' --data-binary "$b" "$@"; }
jget() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$WORK/body" 2>/dev/null; }
expect() { # expect CODE DESCRIPTION [TEXT-IN-BODY]
  CHECKS=$((CHECKS + 1))
  if [ "$CODE" = "$1" ] && { [ -z "${3:-}" ] || grep -qF -- "$3" <<<"$BODY"; }; then pass "$2 ($CODE)"; else
    fail "$2: expected $1${3:+ with '$3'}, got $CODE: ${BODY:0:400}"; fi
}
expect_eq() { # expect_eq ACTUAL WANTED DESCRIPTION
  CHECKS=$((CHECKS + 1))
  if [ "$1" = "$2" ]; then pass "$3"; else fail "$3: got '$1', wanted '$2' (body: ${BODY:0:300})"; fi
}

# ---- whoami -------------------------------------------------------------------------------
call "" GET /api/v1/auth/whoami
expect 401 "whoami without a key"
call "$READ" GET /api/v1/auth/whoami
expect 200 "whoami with a read key" '"name":"viewer"'
expect_eq "$(jget 'd["data"]["scopes"]')" "['read']" "a read key has only the read scope"
expect_eq "$(jget 'd["data"]["authRequired"]')" "True" "authRequired on an api_key listener"
CHECKS=$((CHECKS + 1))
[[ $(jget 'd["data"]["id"]') =~ ^[0-9]+$ ]] && pass "whoami has the key's id" || fail "no id: $BODY"
call "$ADMIN" GET /api/v1/auth/whoami
expect_eq "$(jget 'd["data"]["scopes"]')" "['read', 'write', 'admin']" "an admin key has every scope"

# ---- keys ---------------------------------------------------------------------------------
call "$READ" GET /api/v1/keys
expect 403 "a read key may not list keys"
call "$WRITE" POST /api/v1/keys -H 'Content-Type: application/json' -d '{"name":"x"}'
expect 403 "a write key may not make keys"
call "$ADMIN" GET /api/v1/keys
expect 200 "an admin lists the keys" '"name":"viewer"'
expect_eq "$(jget 'len(d["data"])')" "3" "three keys listed"
CHECKS=$((CHECKS + 1))
grep -qF "$READ" <<<"$BODY" && fail "the list shows a secret" || pass "the list shows no secret"
post "$ADMIN" /api/v1/keys '{"name":"ci","scope":"read"}'
expect 201 "an admin makes a key" '"secret":"rk_'
NEW=$(jget 'd["data"]["secret"]')
NEW_ID=$(jget 'd["data"]["id"]')
call "$NEW" GET /api/v1/tasks
expect 200 "the new key works"
post "$ADMIN" /api/v1/keys '{"name":"ci","scope":"read"}'
expect 409 "a second live key with the name" "an API key named 'ci' exists"
post "$ADMIN" /api/v1/keys '{"name":"bad name!","scope":"read"}'
expect 400 "a bad key name" "invalid key name 'bad name!'"
post "$ADMIN" /api/v1/keys '{"name":"y","scope":"root"}'
expect 400 "a bad scope" "scope"
post "$ADMIN" /api/v1/keys '{"scope":"read"}'
expect 400 "no name" "name is required"
call "$ADMIN" DELETE /api/v1/keys/nope
expect 404 "revoking an unknown key" "no live API key 'nope'"
call "$ADMIN" DELETE "/api/v1/keys/$NEW_ID"
expect 200 "an admin revokes a key" "key $NEW_ID revoked"
CHECKS=$((CHECKS + 1))
[ "$(jget 'd["data"]["revokedAt"] is not None')" = True ] && pass "the answer has revokedAt" || fail "revokedAt: $BODY"
call "$NEW" GET /api/v1/tasks
expect 401 "the revoked key is refused at once"
# An admin revoking the key it uses: the next request is a 401.
post "$ADMIN" /api/v1/keys '{"name":"self","scope":"admin"}'
SELF=$(jget 'd["data"]["secret"]')
call "$SELF" GET /api/v1/auth/whoami
expect 200 "the self key works" '"name":"self"'
call "$SELF" DELETE /api/v1/keys/self
expect 200 "a key revokes itself" "key self revoked"
call "$SELF" GET /api/v1/auth/whoami
expect 401 "... and its next request is refused"

# ---- cron preview -------------------------------------------------------------------------
call "$READ" GET "/api/v1/schedules/preview?cron=0%200%209%20*%20*%20*&timezone=Europe/Paris&count=3"
expect 200 "a preview in a zone" '"timezone":"Europe/Paris"'
expect_eq "$(jget 'len(d["data"]["times"])')" "3" "count times"
CHECKS=$((CHECKS + 1))
LOCAL=$(jget 'd["data"]["times"][0]["local"]'); UTC=$(jget 'd["data"]["times"][0]["utc"]')
[[ $LOCAL =~ T09:00:00\+0[12]:00$ && $UTC =~ T0[78]:00:00Z$ ]] && pass "09:00 Paris is $LOCAL / $UTC" ||
  fail "local '$LOCAL', utc '$UTC'"
call "$READ" GET "/api/v1/schedules/preview?cron=*/15%20*%20*%20*%20*"
expect 200 "a 5-field cron in UTC (the default)" '"timezone":"UTC"'
expect_eq "$(jget 'len(d["data"]["times"])')" "5" "five times by default"
expect_eq "$(jget 'all(t["utc"][14:16] in ("00","15","30","45") for t in d["data"]["times"])')" "True" "every quarter hour"
call "$READ" GET "/api/v1/schedules/preview?cron=0%2061%20*%20*%20*%20*"
expect 400 "a bad cron" "field 2 (minute): 61 is out of range 0-59"
expect_eq "$(jget 'd["error"]["details"][0]["pointer"]')" "/cron" "the detail points at /cron"
call "$READ" GET "/api/v1/schedules/preview?cron=0%200%20*%20*%20*%20*&timezone=Mars/Olympus"
expect 400 "an unknown zone" "Mars/Olympus"
expect_eq "$(jget 'd["error"]["details"][0]["pointer"]')" "/timezone" "the detail points at /timezone"
call "$READ" GET "/api/v1/schedules/preview?cron=0%200%20*%20*%20*%20*&count=99"
expect 400 "count out of range" "count must be an integer from 1 to 50, not '99'"
call "$READ" GET "/api/v1/schedules/preview"
expect 400 "no cron" "the query parameter cron (a cron expression) is required"
call "" GET "/api/v1/schedules/preview?cron=*%20*%20*%20*%20*"
expect 401 "preview without a key"

# ---- input validation ----------------------------------------------------------------------
post "$READ" /api/v1/tasks/addition/validate-input '{"input":{"num1":1,"num2":2}}'
expect 200 "a valid input" '"valid":true'
post "$READ" /api/v1/tasks/addition/validate-input '{"input":{"num1":"one"}}'
expect 200 "an invalid input is an answer" '"valid":false'
expect_eq "$(jget 'sorted(e["path"] for e in d["data"]["errors"])')" "['', '/num1']" "errors point at the field and the object"
expect_eq "$(jget 'all(e["message"] for e in d["data"]["errors"])')" "True" "each error has a message"
CHECKS=$((CHECKS + 1))
grep -qi "num2" <<<"$BODY" && pass "the missing field is named" || fail "no num2 in $BODY"
post "$READ" /api/v1/tasks/nope/validate-input '{"input":{}}'
expect 404 "validating for an unknown task" '"code":"NOT_FOUND"'
post "$READ" /api/v1/tasks/addition/validate-input '{"input":{},"extra":1}'
expect 400 "an unknown body field" "extra"
post "$READ" /api/v1/tasks/addition/validate-input '{"input":'
expect 400 "a body that is not JSON" '"code":"BAD_REQUEST"'
call "$READ" GET "/api/v1/jobs?limit=1"
expect_eq "$(jget 'd["meta"]["pagination"]["total"]')" "0" "validating ran nothing"

# ---- source, tests -------------------------------------------------------------------------
call "$READ" GET /api/v1/tasks/addition/source
expect 200 "a task's source" '"code":"'
CHECKS=$((CHECKS + 1))
grep -qF 'function' <<<"$(jget 'd["data"]["code"]')" && pass "the code is main.js" || fail "code: $BODY"
expect_eq "$(jget '[t["name"] for t in d["data"]["tests"]]')" "['test-001', 'test-002', 'test-003']" "its tests are listed"
expect_eq "$(jget 'd["data"]["tests"][0]["expectedOutput"]')" "{'sum': 10}" "with their expected output"
expect_eq "$(jget 'd["data"]["inputSchema"]["required"]')" "['num1', 'num2']" "and the input schema"
call "$READ" GET /api/v1/tasks/nope/source
expect 404 "the source of an unknown task" '"code":"NOT_FOUND"'
call "$READ" POST /api/v1/tasks/addition/test
expect 403 "a read key may not run tests"
call "$WRITE" POST /api/v1/tasks/addition/test
expect 200 "running a task's tests" '"passed":3'
expect_eq "$(jget 'd["data"]["failed"]')" "0" "none failed"
post "$WRITE" /api/v1/tasks/addition/test '{"names":["test-002"]}'
expect 200 "running one test" '"total":1'
post "$WRITE" /api/v1/tasks/addition/test '{"names":["nope"]}'
expect 400 "an unknown test name" "nope"
call "$WRITE" POST /api/v1/tasks/nope/test
expect 404 "tests of an unknown task" '"code":"NOT_FOUND"'

# ---- the timeline --------------------------------------------------------------------------
for i in 1 2 3; do post "$WRITE" "/api/v1/tasks/addition/execute?wait=20" "{\"input\":{\"num1\":$i,\"num2\":1}}"; done
expect 200 "jobs ran" '"status":"completed"'
post "$WRITE" "/api/v1/tasks/boom/execute?wait=20" '{"input":{}}'
expect 200 "a failing job ran" '"status":"failed"'
call "$READ" GET "/api/v1/stats/timeline?minutes=5"
expect 200 "the timeline" '"bucketSeconds":60'
expect_eq "$(jget 'len(d["data"]["buckets"])')" "5" "one bucket per minute"
expect_eq "$(jget 'sum(b["completed"] for b in d["data"]["buckets"])')" "3" "three completed in the last minutes"
expect_eq "$(jget 'sum(b["failed"] for b in d["data"]["buckets"])')" "1" "one failed"
expect_eq "$(jget 'd["data"]["buckets"][-1]["time"] < d["data"]["to"] and d["data"]["from"] == d["data"]["buckets"][0]["time"]')" "True" "buckets from 'from' to 'to', oldest first"
call "$READ" GET "/api/v1/stats/timeline"
expect_eq "$(jget 'len(d["data"]["buckets"])')" "60" "the last hour by default"
call "$READ" GET "/api/v1/stats/timeline?minutes=0"
expect 400 "minutes out of range" "minutes must be an integer from 1 to 1440, not '0'"

# ---- the document lists them ----------------------------------------------------------------
call "" GET /api-docs/openapi.json
for p in /api/v1/auth/whoami /api/v1/keys "/api/v1/keys/{id}" /api/v1/schedules/preview \
  "/api/v1/tasks/{id}/validate-input" "/api/v1/tasks/{id}/source" "/api/v1/tasks/{id}/test" \
  /api/v1/stats/timeline; do
  expect_eq "$(jget "'$p' in d['paths']")" "True" "the OpenAPI document has $p"
done

kill -TERM "$SERVE"; wait "$SERVE"; RC=$?
OUT="" ERR=$(grep -E 'Sanitizer|runtime error' "$WORK/serve.err")
expect_rc 0 "serve stops cleanly"
CHECKS=$((CHECKS + 1))
[ -z "$ERR" ] && pass "no sanitizer report" || fail "$ERR"
finish
