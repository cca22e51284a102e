#!/usr/bin/env bash
# executeTaskSync does not hold an HTTP pool thread while its job runs (issue 18): the request
# is deferred until the job ends, as REST's synchronous execute is (frontend-common's
# fe_wait.c). On a listener with 2 pool threads and one worker, four executeTaskSync of a slow
# task (5 s each, run one after the other) wait at once while a GraphQL query is answered
# before the first of them ends; each then gets its own job's output. A wait shorter than the job answers timedOut with the job still running,
# and a server that stops answers the waiting request instead of dropping it.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
source "$RATCHET_SOURCE_DIR/tests/integration/graphql/serve.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
mkdir -p "$WORK/tasks/slow"
printf '{"name": "slow", "version": "1.0.0"}\n' >"$WORK/tasks/slow/metadata.json"
printf 'function main(input) { var end = Date.now() + 5000; while (Date.now() < end) {} return {n: input.n}; }\n' \
  >"$WORK/tasks/slow/main.js"
graphql_serve '  - name: http
    plugin: http
    options: {listen: "127.0.0.1:0", auth: none, threads: 2}
  - name: api
    plugin: api-rest
  - name: graphql
    plugin: api-graphql'

# sync N TIMEOUT OUT: executeTaskSync of `slow` in the background; the body goes to OUT.
sync() {
  curl -s --max-time 60 -o "$3" -H 'Content-Type: application/json' "$U/graphql" --data-binary \
    "{\"query\": \"mutation { executeTaskSync(input: {taskId: \\\"slow\\\", inputData: {n: $1}}, timeoutSeconds: $2) { status output timedOut job { id } } }\"}" &
}
jobs_total() { # the number of jobs the REST API lists (each call bounded: a stuck pool fails)
  curl -s --max-time 2 "$U/api/v1/jobs" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["meta"]["pagination"]["total"])'
}
has_jobs() { [ "$(jobs_total)" = "$1" ]; }

pids=()
for n in 1 2 3 4; do sync "$n" 30 "$WORK/sync$n.json"; pids+=($!); done
CHECKS=$((CHECKS + 1))
if wait_for 10 has_jobs 4; then pass "the four executeTaskSync jobs are queued"; else
  fail "the REST job list did not show the 4 jobs in time (jobs: $(jobs_total))"; fi
CHECKS=$((CHECKS + 1))
T=$(curl -s --max-time 3 -H 'Content-Type: application/json' "$U/graphql" \
  --data-binary '{"query": "{ tasks { items { name } } }"}')
running=0
for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && running=$((running + 1)); done
if grep -qF '"name":"slow"' <<<"$T" && [ "$running" -eq 4 ]; then
  pass "a GraphQL query is answered while $running executeTaskSync still wait"
else
  fail "GraphQL query while waiting: '$T' ($running waiting)"
fi
for p in "${pids[@]}"; do wait "$p"; done
for n in 1 2 3 4; do
  CHECKS=$((CHECKS + 1))
  got=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["data"]["executeTaskSync"]; print(r["status"], json.dumps(r["output"]), r["timedOut"])' "$WORK/sync$n.json" 2>&1)
  if [ "$got" = "COMPLETED {\"n\": $n} False" ]; then pass "executeTaskSync $n answered its own job's output"; else
    fail "executeTaskSync $n: $got ($(cat "$WORK/sync$n.json"))"; fi
done

# A wait shorter than the job: timedOut, the job still going (answered by the deadline).
sync 9 1 "$WORK/short.json"
wait $!
CHECKS=$((CHECKS + 1))
got=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["data"]["executeTaskSync"]; print(r["timedOut"], r["status"], r["output"])' "$WORK/short.json" 2>&1)
case "$got" in
  "True QUEUED None" | "True PROCESSING None") pass "timeoutSeconds: 1 answers timedOut with the job going on ($got)" ;;
  *) fail "timeoutSeconds: 1: $got ($(cat "$WORK/short.json"))" ;;
esac

# The server stops while a request waits: it is answered (timedOut), not dropped.
sync 10 60 "$WORK/stop.json"
pid=$!
wait_for 10 has_jobs 6 || fail "the sixth job was not listed"
kill -TERM "$SERVE"
wait "$pid"
CHECKS=$((CHECKS + 1))
got=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["data"]["executeTaskSync"]; print(r["timedOut"])' "$WORK/stop.json" 2>&1)
if [ "$got" = "True" ] || [ "$got" = "False" ]; then pass "a request waiting at shutdown is answered (timedOut: $got)"; else
  fail "at shutdown: $got ($(cat "$WORK/stop.json" 2>/dev/null))"; fi
wait_for 20 bash -c "! kill -0 $SERVE 2>/dev/null" || fail "serve did not stop"
finish
