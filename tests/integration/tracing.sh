#!/usr/bin/env bash
# Traces as an operator sees them: `ratchet serve` with the exporter-otlp plugin sending to a
# small OTLP receiver of this test's own (tests/integration/otlp_receiver.py, which checks the
# OTLP/JSON shape of every request). A job gets a trace id (the job's `traceId`); its fetch
# sends a W3C traceparent naming that trace and the fetch's span; the receiver gets the job's
# tree: one trace, the root "job <task>", its queue/run/finish phases, the fetch span under
# run; a failing job's spans carry error status; the job's log lines carry the trace id; a
# job submitted over REST with a traceparent header joins the caller's trace; jobs are found by
# trace id. A full exporter queue drops spans and counts them; what is queued is sent at stop.
# Bad exporter options are refused with the option named.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
mkdir -p "$WORK/tasks/fetcher"
printf '{"name": "fetcher", "version": "1.0.0"}\n' >"$WORK/tasks/fetcher/metadata.json"
echo 'function main(input) { var r = fetch(input.url); return {n: r.body.n}; }' >"$WORK/tasks/fetcher/main.js"

# Bad exporter options: each named.
bad_exporter() { # bad_exporter OPTIONS_YAML EXPECTED DESCRIPTION
  cat >"$WORK/bad.yaml" <<YAML
instances:
  - name: otlp
    plugin: exporter-otlp
    options: $1
YAML
  run "$R" --config "$WORK/bad.yaml" --data-dir "$WORK/baddata" --tasks "$WORK/tasks" serve --no-api
  expect_rc 1 "$3 refused"
  expect_err_contains "$2" "$3 named"
}
bad_exporter '{endpoint: "ftp://collector/v1/traces"}' "endpoint: expected an http:// or https:// URL such as http://127.0.0.1:4318/v1/traces, got 'ftp://collector/v1/traces'" "a non-HTTP endpoint"
bad_exporter '{headers: [a, b]}' "headers: expected a map of header names to values" "headers that are not a map"
bad_exporter '{headers: {"X Bad": v}}' "headers.X Bad: expected a header name (a token)" "a bad header name"
bad_exporter '{batch_size: 0}' "batch_size" "batch_size 0"

python3 "$RATCHET_SOURCE_DIR/tests/integration/flaky_server.py" "$WORK/up.port" "$WORK/up.log" 0 &
cleanup_hooks+=("kill $! 2>/dev/null")
python3 "$RATCHET_SOURCE_DIR/tests/integration/flaky_server.py" "$WORK/down.port" "$WORK/down.log" 1000 &
cleanup_hooks+=("kill $! 2>/dev/null")
python3 "$RATCHET_SOURCE_DIR/tests/integration/otlp_receiver.py" "$WORK/otlp.port" "$WORK/spans.jsonl" &
cleanup_hooks+=("kill $! 2>/dev/null")
wait_for 10 test -s "$WORK/up.port" -a -s "$WORK/down.port" -a -s "$WORK/otlp.port" || fail "helper servers did not start"
UP="http://127.0.0.1:$(cat "$WORK/up.port")/data"
DOWN="http://127.0.0.1:$(cat "$WORK/down.port")/data"

cat >"$WORK/r.yaml" <<YAML
engine:
  workers: 1
  max_retries: 0
  shutdown_grace: 1s
circuit_breakers:
  enabled: false
$(rest_instances)
  - name: otlp
    plugin: exporter-otlp
    options:
      endpoint: http://127.0.0.1:$(cat "$WORK/otlp.port")/v1/traces
      headers: {X-Tenant: ratchet-test}
      batch_size: 64
      flush_interval: 100ms
      service_name: ratchet-under-test
YAML
serve_listening "$WORK/r.yaml" || finish

field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1" <<<"$OUT"; }

# A job that fetches: its trace id, and the traceparent its fetch sent.
run "${OPS[@]}" jobs submit --task fetcher --input-json "{\"url\": \"$UP\"}" --wait --json
expect_rc 0 "a job that fetches completes"
TRACE=$(field traceId)
JOB=$(field id)
[[ "$TRACE" =~ ^[0-9a-f]{32}$ ]] && pass "the job has a trace id ($TRACE)" || fail "traceId: '$TRACE'"
CHECKS=$((CHECKS + 1))
TP=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["headers"].get("traceparent", ""))' "$WORK/up.log")
[[ "$TP" =~ ^00-$TRACE-[0-9a-f]{16}-01$ ]] && pass "the fetch sent traceparent $TP" || fail "traceparent: '$TP'"
CHECKS=$((CHECKS + 1))

# The tree arrives at the receiver (sent within the flush interval).
tree_check() { # tree_check TRACE JOB FETCH_SPAN WANT_ERROR
  python3 - "$WORK/spans.jsonl" "$@" <<'PY'
import json, sys
path, trace, job, fetch_span, want_error = sys.argv[1:6]
spans = [s for s in map(json.loads, open(path)) if s["traceId"] == trace]
by = {s["name"]: s for s in spans}
need = ["job fetcher", "queue", "run", "fetch GET", "finish"]
if any(n not in by for n in need) or len(spans) != len(need):
    sys.exit("spans of the trace: %s" % sorted(s["name"] for s in spans))
root = by["job fetcher"]
attrs = lambda s: {a["key"]: list(a["value"].values())[0] for a in s["attributes"]}
problems = []
if "parentSpanId" in root: problems.append("the root has a parent")
for n in ("queue", "run", "finish"):
    if by[n].get("parentSpanId") != root["spanId"]: problems.append(n + " is not under the root")
if by["fetch GET"].get("parentSpanId") != by["run"]["spanId"]: problems.append("fetch is not under run")
if by["fetch GET"]["spanId"] != fetch_span: problems.append("the fetch span is not the traceparent's")
if by["fetch GET"]["kind"] != 3: problems.append("fetch is not a CLIENT span")
if attrs(root).get("ratchet.job_id") != job: problems.append("root job id %s" % attrs(root))
if attrs(root).get("ratchet.task") != "fetcher": problems.append("root task")
if root["service"] != "ratchet-under-test": problems.append("service.name " + str(root["service"]))
if root["requestHeaders"].get("x-tenant") != "ratchet-test": problems.append("the configured header was not sent")
for s in spans:
    if int(s["startTimeUnixNano"]) < int(root["startTimeUnixNano"]) or int(s["endTimeUnixNano"]) > int(root["endTimeUnixNano"]):
        problems.append(s["name"] + " lies outside the root")
if want_error == "1":
    if root["status"]["code"] != 2 or "ServiceUnavailableError" not in root["status"].get("message", ""):
        problems.append("root status %s" % root["status"])
    if by["fetch GET"]["status"]["code"] != 2 or attrs(by["fetch GET"]).get("http.response.status_code") != "503":
        problems.append("fetch status %s %s" % (by["fetch GET"]["status"], attrs(by["fetch GET"])))
else:
    if root["status"]["code"] == 2 or attrs(by["fetch GET"]).get("http.response.status_code") != "200":
        problems.append("unexpected error status")
if problems: sys.exit("; ".join(problems))
PY
}
arrived() { [ "$(grep -c "\"$1\"" "$WORK/spans.jsonl" 2>/dev/null)" -ge 5 ]; }
wait_for 10 arrived "$TRACE" || fail "the spans of $TRACE did not arrive"
CHECKS=$((CHECKS + 1))
if why=$(tree_check "$TRACE" "$JOB" "$(cut -d- -f3 <<<"$TP")" 0 2>&1); then pass "the job's tree: one trace, phases under the root, fetch under run"; else fail "tree: $why"; fi

# A failing fetch: error status on the fetch and the root; the job's log lines carry the trace.
run "${OPS[@]}" jobs submit --task fetcher --input-json "{\"url\": \"$DOWN\"}" --wait --json
expect_rc 1 "a job whose fetch gets a 503 fails"
TRACE2=$(field traceId)
JOB2=$(field id)
TP2=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["headers"]["traceparent"])' "$WORK/down.log")
wait_for 10 arrived "$TRACE2" || fail "the spans of $TRACE2 did not arrive"
CHECKS=$((CHECKS + 1))
if why=$(tree_check "$TRACE2" "$JOB2" "$(cut -d- -f3 <<<"$TP2")" 1 2>&1); then pass "a failed job's spans carry error status"; else fail "failed tree: $why"; fi
CHECKS=$((CHECKS + 1))
wait_for 10 grep -q "\"traceId\":\"$TRACE2\"" "$WORK/serve.jsonl" && pass "the failed job's log line carries its trace id" || fail "no log line with traceId $TRACE2"

# Outputs: each delivery is a span of its own under the job's root.
run "${OPS[@]}" jobs submit --task fetcher --input-json "{\"url\": \"$UP\"}" --webhook "$UP/hook" --wait --json
expect_rc 0 "a job with a webhook completes"
TRACE4=$(field traceId)
delivered() { grep "\"$TRACE4\"" "$WORK/spans.jsonl" 2>/dev/null | grep -q '"deliver webhook"'; }
wait_for 10 delivered || fail "no delivery span for $TRACE4"
CHECKS=$((CHECKS + 1))
python3 - "$WORK/spans.jsonl" "$TRACE4" "$UP/hook" <<'PY' && pass "the webhook delivery is a span under the root, naming the destination" || fail "delivery span"
import json, sys
spans = [s for s in map(json.loads, open(sys.argv[1])) if s["traceId"] == sys.argv[2]]
root = [s for s in spans if s["name"] == "job fetcher"][0]
d = [s for s in spans if s["name"] == "deliver webhook"][0]
attrs = {a["key"]: list(a["value"].values())[0] for a in d["attributes"]}
sys.exit(0 if d.get("parentSpanId") == root["spanId"] and attrs.get("ratchet.destination") == sys.argv[3]
         and attrs.get("http.response.status_code") == "200" and d["status"]["code"] == 0 else 1)
PY

# REST: a traceparent header makes the job part of the caller's trace.
CALLER=4bf92f3577b34da6a3ce929d0e0e4736
CODE=$(curl -s -o "$WORK/rest.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -H "traceparent: 00-$CALLER-00f067aa0ba902b7-01" \
  -d "{\"taskName\": \"fetcher\", \"input\": {\"url\": \"$UP\"}}" "$BASE/api/v1/jobs")
CHECKS=$((CHECKS + 1))
[ "$CODE" = 201 ] && grep -q "\"traceId\":\"$CALLER\"" "$WORK/rest.json" && pass "REST: the job joins the caller's trace" || fail "REST submit: $CODE $(cat "$WORK/rest.json")"
wait_for 10 arrived "$CALLER" || fail "the spans of the caller's trace did not arrive"
CHECKS=$((CHECKS + 1))
python3 - "$WORK/spans.jsonl" "$CALLER" <<'PY' && pass "its root is a SERVER span under the caller's span" || fail "REST root span"
import json, sys
root = [s for s in map(json.loads, open(sys.argv[1])) if s["traceId"] == sys.argv[2] and s["name"] == "job fetcher"]
sys.exit(0 if root and root[0].get("parentSpanId") == "00f067aa0ba902b7" and root[0]["kind"] == 2 else 1)
PY
CODE=$(curl -s -o "$WORK/rest.json" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -H "traceparent: 00-00000000000000000000000000000000-00f067aa0ba902b7-01" \
  -d "{\"taskName\": \"fetcher\", \"input\": {\"url\": \"$UP\"}}" "$BASE/api/v1/jobs")
CHECKS=$((CHECKS + 1))
[ "$CODE" = 400 ] && grep -q "traceparent: the trace id must not be all zeros" "$WORK/rest.json" && pass "REST: a bad traceparent is refused, with why" || fail "bad traceparent: $CODE $(cat "$WORK/rest.json")"

# Jobs are found by trace id.
CHECKS=$((CHECKS + 1))
n=$(curl -s "$BASE/api/v1/jobs?traceId=$TRACE" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(len(d), d[0]["id"] if d else "")')
[ "$n" = "1 $JOB" ] && pass "GET /api/v1/jobs?traceId= finds the job" || fail "jobs by trace: $n"
run "${OPS[@]}" jobs list --trace "$TRACE" --json
CHECKS=$((CHECKS + 1))
[ "$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["total"], d["items"][0]["id"])' <<<"$OUT")" = "1 $JOB" ] &&
  pass "jobs list --trace finds the job" || fail "jobs list --trace: $OUT"

# The exporter's counters in /metrics.
CHECKS=$((CHECKS + 1))
n=$(curl -s "$BASE/metrics" | awk '$1 == "ratchet_otlp_spans_exported_total{instance=\"otlp\"}" {print $2}')
[ "${n%.*}" -ge 10 ] 2>/dev/null && pass "/metrics: $n spans exported" || fail "exported: '$n'"
[ ! -s "$WORK/spans.jsonl.err" ] && pass "every export request was well-formed OTLP/JSON" || fail "receiver: $(cat "$WORK/spans.jsonl.err")"
CHECKS=$((CHECKS + 1))

# A full queue drops spans (counted), never waits; what is queued is sent at stop.
kill -TERM "$SERVE"
wait "$SERVE" 2>/dev/null
rm -f "$WORK/serve.jsonl"
sed -e 's/batch_size: 64/batch_size: 10/' -e 's/flush_interval: 100ms/flush_interval: 1h\n      queue_size: 1/' \
  "$WORK/r.yaml" >"$WORK/r2.yaml"
serve_listening "$WORK/r2.yaml" || finish
before=$(wc -l <"$WORK/spans.jsonl")
run "${OPS[@]}" jobs submit --task fetcher --input-json "{\"url\": \"$UP\"}" --wait --json
expect_rc 0 "a job with the exporter's queue full completes"
TRACE3=$(field traceId)
dropped() { [ "$(curl -s "$BASE/metrics" | awk '$1 == "ratchet_otlp_spans_dropped_total{instance=\"otlp\"}" {print $2}')" = 4 ]; }
wait_for 10 dropped && pass "four of the job's five spans were dropped and counted" || fail "dropped: $(curl -s "$BASE/metrics" | grep otlp)"
CHECKS=$((CHECKS + 1))
[ "$(wc -l <"$WORK/spans.jsonl")" = "$before" ] && pass "nothing sent before the batch fills or the interval passes" || fail "sent early"
CHECKS=$((CHECKS + 1))
kill -TERM "$SERVE"
wait "$SERVE" 2>/dev/null
[ "$(grep -c "\"$TRACE3\"" "$WORK/spans.jsonl")" = 1 ] && pass "the queued span was sent at stop" || fail "spans of $TRACE3 after stop: $(grep -c "$TRACE3" "$WORK/spans.jsonl")"
CHECKS=$((CHECKS + 1))
grep -q "4 span(s) dropped (queue full), 0 failed to export" "$WORK/serve.jsonl" && pass "the drops are logged at stop" || fail "no drop summary in the log"
CHECKS=$((CHECKS + 1))
finish
