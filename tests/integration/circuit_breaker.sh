#!/usr/bin/env bash
# Circuit breakers as an operator meets them: `ratchet serve` with small thresholds and a local
# server that fails N times, then answers. Fetches: three failures open the host's breaker,
# the next job fails at once with a ServiceUnavailableError naming the host and the time of
# the next try (the server sees no request), /metrics and the log show it open; after the
# cool-down the probe gets through and closes it. Webhooks: two failed deliveries open the
# webhook breaker, the third delivery is refused without a request. Bad values of the
# `circuit_breakers` section are refused with the key, the line and what was expected.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
R=$RATCHET_BIN
mkdir -p "$WORK/tasks"
cp -r "$RATCHET_SOURCE_DIR/sample/addition" "$WORK/tasks/addition"
mk fetcher 'function main(input) { return {n: fetch(input.url).body.n}; }'
mk catcher 'function main(input) { try { fetch(input.url); return {}; } catch (e) { return {name: e.name, typed: e instanceof ServiceUnavailableError}; } }'

# Bad configuration: each mistake named with its place.
bad_config() { # bad_config YAML_LINE EXPECTED_MESSAGE DESCRIPTION
  printf 'circuit_breakers:\n  %s\n' "$1" >"$WORK/bad.yaml"
  run "$R" config validate "$WORK/bad.yaml"
  expect_rc 1 "$3 refused"
  expect_err_contains "$2" "$3 named"
}
bad_config "fetch_failures: 0" "bad.yaml:2:19: circuit_breakers.fetch_failures: must be between 1 and 1000, got 0" "fetch_failures 0"
bad_config "fetch_cool_down: soon" "bad.yaml:2:20: circuit_breakers.fetch_cool_down: expected a duration such as 30s or 250ms, got 'soon'" "a cool-down that is not a duration"
bad_config "webhook_failures: many" "circuit_breakers.webhook_failures" "webhook_failures not a number"
bad_config "enable: true" "circuit_breakers.enable" "an unknown key"

python3 "$RATCHET_SOURCE_DIR/tests/integration/flaky_server.py" "$WORK/flaky.port" "$WORK/flaky.log" 3 &
flaky=$!
cleanup_hooks+=("kill $flaky 2>/dev/null")
wait_for 10 test -s "$WORK/flaky.port" || fail "the flaky server did not start"
HOSTPORT="127.0.0.1:$(cat "$WORK/flaky.port")"
URL="http://$HOSTPORT/data"
python3 "$RATCHET_SOURCE_DIR/tests/integration/flaky_server.py" "$WORK/hook.port" "$WORK/hook.log" 1000 &
hook=$!
cleanup_hooks+=("kill $hook 2>/dev/null")
wait_for 10 test -s "$WORK/hook.port" || fail "the webhook server did not start"
HOOK="127.0.0.1:$(cat "$WORK/hook.port")"

cat >"$WORK/r.yaml" <<YAML
execution:
  timeout: 20s
engine:
  workers: 1
  max_retries: 0
  shutdown_grace: 1s
circuit_breakers:
  fetch_failures: 3
  fetch_cool_down: 2s
  webhook_failures: 2
  webhook_cool_down: 1h
$(rest_instances)
YAML
serve_listening "$WORK/r.yaml" || finish
requests() { wc -l <"$1" 2>/dev/null || echo 0; }
metric() { curl -s "$BASE/metrics" | grep -F "$1" | awk '{print $2}'; }

# Three failures in a row open the breaker.
for i in 1 2 3; do
  run "${OPS[@]}" jobs submit --task fetcher --input-json "{\"url\": \"$URL\"}" --wait --json
  expect_rc 1 "fetch $i fails (503)"
  expect_out_contains "HTTP 503" "fetch $i saw the 503"
done
[ "$(requests "$WORK/flaky.log")" -eq 3 ] && pass "three requests reached the server" || fail "requests: $(requests "$WORK/flaky.log")"
CHECKS=$((CHECKS + 1))
[ "$(metric "ratchet_circuit_breaker_state{scope=\"fetch\",host=\"$HOSTPORT\"}")" = 1 ] &&
  pass "/metrics: the fetch breaker of $HOSTPORT is open" || fail "metrics: $(curl -s "$BASE/metrics" | grep circuit)"
CHECKS=$((CHECKS + 1))
wait_for 10 grep -q "circuit breaker for fetch host $HOSTPORT: closed -> open after 3 consecutive failures" "$WORK/serve.jsonl" &&
  pass "the opening is logged" || fail "no log line for the opening"
CHECKS=$((CHECKS + 1))

# The next job fails fast, with a typed error that names the host and the time of the next try.
run "${OPS[@]}" jobs submit --task fetcher --input-json "{\"url\": \"$URL\"}" --wait --json
expect_rc 1 "a fetch meeting the open breaker fails"
expect_out_contains "ServiceUnavailableError" "typed error"
expect_out_contains "circuit breaker open for $HOSTPORT after 3 consecutive failures: not calling it until" "the message names the host and when"
refusal=$OUT
[ "$(requests "$WORK/flaky.log")" -eq 3 ] && pass "the refused fetch never reached the server" || fail "requests: $(requests "$WORK/flaky.log")"
CHECKS=$((CHECKS + 1))
run "${OPS[@]}" jobs submit --task catcher --input-json "{\"url\": \"$URL\"}" --wait --json
expect_out_contains '"typed": true' "the script can catch it as ServiceUnavailableError"
[ "$(metric "ratchet_circuit_breaker_rejected_total{scope=\"fetch\",host=\"$HOSTPORT\"}")" = 2 ] &&
  pass "/metrics counts the refused calls" || fail "rejected: $(metric rejected_total)"
CHECKS=$((CHECKS + 1))

# After the cool-down (2 s from the opening), the probe reaches the server (which now
# answers 200) and closes the breaker.
until_ms=$(python3 -c '
import re, sys, datetime
m = re.search(r"not calling it until (\S+)Z", sys.argv[1])
t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
print(int(t.timestamp() * 1000) + 1000)' "$refusal")
cooled() { [ "$(date +%s%3N)" -ge "$until_ms" ]; }
wait_for 10 cooled || fail "the cool-down did not pass"
run "${OPS[@]}" jobs submit --task fetcher --input-json "{\"url\": \"$URL\"}" --wait --json
expect_rc 0 "the probe after the cool-down succeeds"
expect_out_contains '"n": 4' "the probe reached the server"
wait_for 10 grep -q "circuit breaker for fetch host $HOSTPORT: half-open -> closed" "$WORK/serve.jsonl" &&
  pass "the closing is logged" || fail "no log line for the closing"
CHECKS=$((CHECKS + 1))
[ "$(metric "ratchet_circuit_breaker_state{scope=\"fetch\",host=\"$HOSTPORT\"}")" = 0 ] &&
  pass "/metrics: closed again" || fail "metrics: $(curl -s "$BASE/metrics" | grep circuit)"
CHECKS=$((CHECKS + 1))

# Webhooks: every delivery fails (503); after two, the third is refused without a request.
for i in 1 2 3; do
  run "${OPS[@]}" jobs submit --task addition --input-json '{"num1": 1, "num2": 2}' \
    --outputs "[{\"type\": \"webhook\", \"url\": \"http://$HOOK/hook\", \"max_attempts\": 1}]" --wait
  expect_rc 0 "job $i with a failing webhook completes"
done
delivered() { [ "$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from delivery_results").fetchone()[0])' "$WORK/data/ratchet.db")" -ge 3 ]; }
wait_for 20 delivered || fail "three delivery results were not recorded"
[ "$(requests "$WORK/hook.log")" -eq 2 ] && pass "only two webhook requests were sent" || fail "webhook requests: $(requests "$WORK/hook.log")"
CHECKS=$((CHECKS + 1))
last=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select error from delivery_results order by id desc limit 1").fetchone()[0])' "$WORK/data/ratchet.db")
grep -qF "circuit breaker open for $HOOK after 2 consecutive failures" <<<"$last" &&
  pass "the refused delivery records why" || fail "last delivery error: $last"
CHECKS=$((CHECKS + 1))
[ "$(metric "ratchet_circuit_breaker_state{scope=\"webhook\",host=\"$HOOK\"}")" = 1 ] &&
  pass "/metrics: the webhook breaker is open" || fail "metrics: $(curl -s "$BASE/metrics" | grep circuit)"
CHECKS=$((CHECKS + 1))
finish
