#!/usr/bin/env bash
# The http plugin under the real `ratchet serve`, driven with curl through the http-probe
# fixture's routes (tests/fixtures/http-probe/probe.c): routing, HEAD, request ids, security
# and CORS headers, limits (413, 431, 429, 503), a slowloris, TLS, API keys, refused
# configurations, SSE with keep-alive comments, and SIGTERM with open requests.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
PROBE_DIR=$RATCHET_FIXTURE_DIR/http-probe

# serve_http NAME OPTIONS [may-fail]: start serve with logger-file (NAME.jsonl), an http
# instance with OPTIONS (a YAML flow map body) and the probe; wait for readiness. Sets URL,
# PORT and SPID. With may-fail, a server that does not start is not a failure (return 1).
serve_http() {
  local name=$1 opts=$2
  cat >"$WORK/$name.yaml" <<YAML
instances:
  - name: file
    plugin: logger-file
    options: {path: $name.jsonl, level: debug}
  - name: web
    plugin: http
    options: {$opts}
  - name: probe
    plugin: http-probe
YAML
  "$RATCHET_BIN" --plugin-dir "$PROBE_DIR" --config "$WORK/$name.yaml" --data-dir "$WORK/data" \
    serve 2>"$WORK/$name.err" &
  SPID=$!
  cleanup_hooks+=("kill -9 $SPID 2>/dev/null")
  # Ready, or gone (then the loop ends at once and the check below fails).
  wait_for 20 eval "grep -q 'ratchet serve: ready' '$WORK/$name.jsonl' || ! kill -0 $SPID"
  if ! grep -q "ratchet serve: ready" "$WORK/$name.jsonl" 2>/dev/null; then
    [ "${3:-}" = "may-fail" ] && return 1
    fail "$name: serve did not become ready"; cat "$WORK/$name.err" >&2; return 1
  fi
  URL=$(grep -o '"message":"listening on [a-z]*://[^"]*"' "$WORK/$name.jsonl" | head -1 |
    sed 's/.*listening on //; s/"$//')
  PORT=${URL##*:}
}

# stop_http [quiet]: SIGTERM, wait, RC = serve's exit status; checks it is 0 unless quiet.
stop_http() {
  kill -TERM "$SPID"; wait "$SPID" && RC=0 || RC=$?
  [ "${1:-}" = quiet ] && return
  OUT="" ERR=$(cat "$WORK"/*.err); expect_rc 0 "serve stops cleanly"
}

# req ARGS...: curl with headers; OUT = headers + body, CODE = status.
req() {
  OUT=$(curl -s -D - --max-time 10 "$@") || true
  CODE=$(sed -n '1s/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p' <<<"$OUT")
}
expect_code() {
  CHECKS=$((CHECKS + 1))
  if [ "$CODE" = "$1" ]; then pass "$2 ($CODE)"; else fail "$2: expected $1, got '$CODE'"; echo "$OUT" >&2; fi
}
# has TEXT DESCRIPTION: OUT contains TEXT, case-insensitively for headers.
has() { CHECKS=$((CHECKS + 1)); if grep -qiF -- "$1" <<<"$OUT"; then pass "$2"; else
  fail "$2: lacks '$1'"; echo "$OUT" >&2; fi; }
lacks() { CHECKS=$((CHECKS + 1)); if grep -qiF -- "$1" <<<"$OUT"; then
  fail "$2: has '$1'"; echo "$OUT" >&2; else pass "$2"; fi; }

# ---- the main server ---------------------------------------------------------------------
serve_http main 'listen: "127.0.0.1:0", threads: 1, timeout: 1s, max_body: 1KiB,
  max_header: 4KiB, cors_origins: ["http://app.example"], sse_keepalive: 200ms' || finish
CHECKS=$((CHECKS + 1))
if [[ "$URL" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] && [ "$PORT" != 0 ]; then
  pass "logs 'listening on $URL' with the real port"; else fail "listening line: '$URL'"; fi

# Routing: 404, 405 + Allow, literal before {id}, decoded params, wildcard, 500 for a faulty route.
req "$URL/nothing/here"
expect_code 404 "unknown path"
has '{"error":{"code":"NOT_FOUND","message":"no route for this path","status":404}}' "404 envelope"
req -X POST "$URL/probe/items/5"
expect_code 405 "wrong method"
has "Allow: GET, HEAD, DELETE, OPTIONS" "405 lists the allowed methods"
has '"code":"METHOD_NOT_ALLOWED"' "405 envelope"
req "$URL/probe/items/stats"
has '{"stats":true}' "literal segment wins over {id}"
req "$URL/probe/items/a%2Fb%20c"
has '{"id":"a/b c","method":"GET"}' "parameter is percent-decoded, %2F stays in the segment"
req "$URL/probe/files/css/site.css"
has '{"*":"css/site.css"' "wildcard takes the rest of the path"
req "$URL/probe/faulty"
expect_code 500 "a handler that does not answer"
has '"code":"INTERNAL_ERROR"' "faulty route gets the envelope"
req "$URL/probe/echo?a=1&b=x%20y&a=2&flag" -H 'X-Echo: hello'
has '"query":[["a","1"],["b","x y"],["a","2"],["flag",""]]' "query arguments in order, decoded"
has '"echo":"hello"' "request headers readable"
has "\"baseUrl\":\"$URL\"" "base_url from the Host header"
req "$URL/probe/echo?a=%zz"
expect_code 400 "malformed percent escape in the query"

# HEAD is answered by the GET route, without a body.
req -I "$URL/probe/items/stats"
expect_code 200 "HEAD on a GET route"
has "Content-Length: 14" "HEAD keeps the GET length"
lacks '{"stats"' "HEAD has no body"

# Request ids: kept when sane, generated otherwise, echoed and logged.
req "$URL/probe/echo" -H 'X-Request-ID: trace-abc-123'
has "X-Request-ID: trace-abc-123" "sane request id echoed"
has '"requestId":"trace-abc-123"' "handler sees the client's id"
req "$URL/probe/echo" -H "X-Request-ID: $(printf 'x%.0s' {1..200})"
CHECKS=$((CHECKS + 1))
if grep -qiE '^X-Request-ID: [0-9a-f]{32}' <<<"$OUT"; then pass "too long id replaced by a generated one"; else
  fail "generated id for a 200-char id"; echo "$OUT" >&2; fi
req "$URL/nothing"
CHECKS=$((CHECKS + 1))
if grep -qiE '^X-Request-ID: [0-9a-f]{32}' <<<"$OUT"; then pass "id generated (also on a 404)"; else
  fail "no generated id"; fi
CHECKS=$((CHECKS + 1))
if wait_for 5 grep -q '"request_id":"trace-abc-123"' "$WORK/main.jsonl" &&
  grep '"request_id":"trace-abc-123"' "$WORK/main.jsonl" | grep -q '"status":"200".*"client":"127.0.0.1"'; then
  pass "access log line carries request id, status and client"; else fail "access log line"; fi
# The line is built without printf: the message and duration_ms keep the "%.3f" shape.
CHECKS=$((CHECKS + 1))
if grep '"request_id":"trace-abc-123"' "$WORK/main.jsonl" |
  grep -qE '"message":"GET /probe/echo 200 [0-9]+\.[0-9]{3} ms".*"duration_ms":"[0-9]+\.[0-9]{3}"'; then
  pass "access log message and duration_ms: GET /probe/echo 200 N.NNN ms"; else
  fail "access log message or duration_ms shape: $(grep '"request_id":"trace-abc-123"' "$WORK/main.jsonl")"; fi

# Security headers; a handler's own Cache-Control wins.
req "$URL/probe/items/1"
for h in "X-Content-Type-Options: nosniff" "X-Frame-Options: DENY" "Referrer-Policy: no-referrer" \
  "Cache-Control: no-store"; do has "$h" "security header $h"; done
lacks "Strict-Transport-Security" "no HSTS on plain http"
lacks "Access-Control-Allow-Origin" "no CORS header without Origin"
req "$URL/probe/header"
has "Cache-Control: max-age=5" "handler's Cache-Control kept"
has "X-Probe: yes" "handler header added"

# CORS: preflight and simple requests from an allowed origin; nothing for others.
req -X OPTIONS "$URL/probe/echo" -H 'Origin: http://app.example' -H 'Access-Control-Request-Method: POST'
expect_code 204 "CORS preflight"
has "Access-Control-Allow-Origin: http://app.example" "preflight allows the origin"
has "Access-Control-Allow-Methods: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" "preflight methods"
has "Access-Control-Allow-Headers: Authorization" "preflight headers"
req "$URL/probe/items/1" -H 'Origin: http://app.example'
has "Access-Control-Allow-Origin: http://app.example" "CORS header on a simple request"
has "Vary: Origin" "Vary: Origin"
req "$URL/probe/items/1" -H 'Origin: http://evil.example'
lacks "Access-Control-Allow-Origin" "other origins get no CORS header"
req -X OPTIONS "$URL/nothing"
expect_code 404 "OPTIONS on an unknown path"

# Body limit (1 KiB): by Content-Length up front, and while reading a chunked body.
head -c 2000 /dev/zero | tr '\0' a >"$WORK/big"
req -X POST --data-binary @"$WORK/big" "$URL/probe/echo"
expect_code 413 "body over max_body (Content-Length)"
has '"code":"PAYLOAD_TOO_LARGE","message":"the body is 2000 bytes; the limit is 1024"' "413 says why"
req -X POST -H 'Transfer-Encoding: chunked' --data-binary @"$WORK/big" "$URL/probe/echo"
expect_code 413 "chunked body over max_body"
has '"code":"PAYLOAD_TOO_LARGE"' "chunked 413 envelope"
req -X POST -H 'Content-Type: text/plain' --data-binary 'hello body' "$URL/probe/echo"
has '"bodyLength":10,"body":"hello body"' "a body under the limit reaches the handler"

# Header limit (4 KiB): the plugin's 431 envelope; far beyond it libmicrohttpd's own 4xx.
req "$URL/probe/echo" -H "X-Big: $(head -c 6000 /dev/zero | tr '\0' b)"
expect_code 431 "headers over max_header"
has '"code":"HEADERS_TOO_LARGE"' "431 envelope"
req "$URL/probe/echo" -H "X-Huge: $(head -c 100000 /dev/zero | tr '\0' b)"
CHECKS=$((CHECKS + 1))
if [[ "$CODE" =~ ^4[0-9][0-9]$ ]]; then pass "a 100 KB header still gets a 4xx ($CODE)"; else
  fail "100 KB header: got '$CODE'"; fi

# Deferred answers: from another thread, and on_expire at the deadline.
req "$URL/probe/defer?ms=50"
has '{"deferred":50}' "deferred request answered from another thread"
req "$URL/probe/defer?ms=10000&timeout=100"
expect_code 202 "deferred request past its deadline"
has '{"expired":"timeout"}' "on_expire(TIMEOUT) answered"

# SSE: events, then the end; keep-alive comments while idle (sse_keepalive 200ms).
OUT=$(curl -sN --max-time 10 -D - "$URL/probe/stream?n=3" 2>&1)
has "Content-Type: text/event-stream" "SSE content type"
has "Cache-Control: no-cache" "SSE is not cached"
CHECKS=$((CHECKS + 1))
if [ "$(grep -c '^data: {"i":[123]}' <<<"$OUT")" = 3 ]; then pass "three events, then the stream ends"; else
  fail "SSE events"; echo "$OUT" >&2; fi
OUT=$(curl -sN --max-time 10 "$URL/probe/stream?n=2&ms=700")
CHECKS=$((CHECKS + 1))
if grep -q '^:$' <<<"$OUT" && grep -q '^data: {"i":2}' <<<"$OUT"; then
  pass "idle SSE stream gets keep-alive comments"; else fail "keep-alive comment"; echo "$OUT" >&2; fi

# Clients that leave: an endless stream notices at its next write (on_close(CLOSED) ends the
# probe's writer), a deferred request at its deadline; the access log records both.
curl -sN --max-time 0.5 "$URL/probe/stream?n=0&ms=20" >/dev/null 2>&1
curl -s --max-time 0.3 "$URL/probe/defer?ms=60000&timeout=600" >/dev/null 2>&1
gone_logged() {
  [ "$(grep -c '"message":"GET /probe/stream 200' "$WORK/main.jsonl")" -ge 3 ] &&
    [ "$(grep -c '"message":"GET /probe/defer 202' "$WORK/main.jsonl")" -ge 2 ]
}
CHECKS=$((CHECKS + 1))
if wait_for 10 gone_logged; then pass "streams and deferred requests of gone clients end"; else
  fail "gone clients' requests never completed"; fi

# Slowloris: half a request head, then silence. It holds no pool thread (threads: 1 and
# other requests are served) and is closed after the idle timeout (1 s).
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /probe/echo HTTP/1.1\r\nHost: x\r\nX-Slow: ' >&3
req "$URL/probe/items/7"
has '{"id":"7"' "other requests are served while a slowloris holds a connection"
start=$(date +%s%N)
read -r -t 10 -u 3 line; rc=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
CHECKS=$((CHECKS + 1))
if [ "$rc" -lt 128 ] && [ "$elapsed" -lt 8000 ]; then pass "slowloris closed by the server after ${elapsed} ms"; else
  fail "slowloris connection still open after ${elapsed} ms (read rc $rc)"; fi
exec 3<&- 3>&-

# Metrics and routes through the interface.
req "$URL/probe/metrics"
has 'ratchet_http_requests_total{route="/probe/items/stats",method="GET",status="200"}' "metrics by route"
has 'ratchet_http_requests_total{route="unmatched",method="GET",status="404"}' "unmatched requests counted apart"
has 'ratchet_http_request_duration_seconds_bucket{route="/probe/echo",le="+Inf"}' "latency histogram"
req "$URL/probe/routes"
has '{"method":"GET","pattern":"/probe/items/stats","scope":"read","owner":"probe"}' "routes() lists mounted routes"

# SIGTERM with a deferred request and an SSE stream open: both end cleanly, exit 0.
curl -s --max-time 20 -w ' %{http_code}' "$URL/probe/defer?ms=60000" >"$WORK/defer.out" 2>&1 &
DEFER=$!
curl -sN --max-time 20 "$URL/probe/stream?n=0&ms=100" >"$WORK/stream.out" 2>&1 &
STREAM=$!
wait_for 10 grep -q '^data: {"i":2}' "$WORK/stream.out" || fail "stream did not start"
stop_http quiet
OUT="" ERR=$(cat "$WORK/main.err")
expect_rc 0 "serve exits 0 on SIGTERM with open requests"
wait "$DEFER" && drc=0 || drc=$?
wait "$STREAM" && src=0 || src=$?
OUT=$(cat "$WORK/defer.out")
has '{"expired":"shutdown"} 202' "deferred request answered by on_expire(SHUTDOWN)"
OUT=$(cat "$WORK/stream.out")
has 'event: shutdown' "stream got its last event from on_close(SHUTDOWN)"
CHECKS=$((CHECKS + 1))
if [ "$drc" = 0 ] && [ "$src" = 0 ]; then pass "both clients saw complete responses"; else
  fail "curl exit codes: defer $drc, stream $src"; fi

# ---- connection limit: the plugin answers 503 past max_connections -------------------------
serve_http conns 'listen: "127.0.0.1:0", max_connections: 2' || finish
exec 4<>"/dev/tcp/127.0.0.1/$PORT" 5<>"/dev/tcp/127.0.0.1/$PORT"
got503() { req "$URL/probe/items/1"; [ "$CODE" = 503 ]; }
CHECKS=$((CHECKS + 1))
if wait_for 10 got503; then pass "past max_connections: 503"; else fail "no 503 past max_connections ($CODE)"; fi
has '"code":"SERVICE_UNAVAILABLE","message":"too many connections (max_connections 2)' "503 says why"
exec 4<&- 4>&- 5<&- 5>&-
stop_http

# ---- rate limit ------------------------------------------------------------------------------
serve_http rate 'listen: "127.0.0.1:0", rate_limit: 0.5, rate_burst: 2' || finish
req "$URL/probe/items/1"; req "$URL/probe/items/1"; req "$URL/probe/items/1"
expect_code 429 "third request within the burst of 2"
has "Retry-After: 2" "Retry-After in whole seconds"
has '"code":"RATE_LIMITED"' "429 envelope"
stop_http

# ---- TLS with a self-signed certificate -----------------------------------------------------
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" \
  -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1; then
  serve_http tls 'listen: [{address: 127.0.0.1, port: 0, tls_cert: cert.pem, tls_key: key.pem}]' || finish
  CHECKS=$((CHECKS + 1))
  if [[ "$URL" =~ ^https://127\.0\.0\.1:[0-9]+$ ]]; then pass "TLS listener logs $URL"; else fail "TLS url '$URL'"; fi
  req --cacert "$WORK/cert.pem" "$URL/probe/items/stats"
  expect_code 200 "request over TLS verified against the test's certificate"
  has "Strict-Transport-Security: max-age=31536000" "HSTS on TLS"
  stop_http
else
  fail "openssl could not make a certificate"
fi

# ---- two listeners, one IPv6 (skipped where the machine has no ::1) -------------------------
if serve_http dual 'listen: ["[::1]:0", "127.0.0.1:0"]' may-fail; then
  CHECKS=$((CHECKS + 1))
  if [ "$(grep -c '"message":"listening on http://' "$WORK/dual.jsonl")" = 2 ] &&
    [[ "$URL" =~ ^http://\[::1\]:[0-9]+$ ]]; then pass "one 'listening on' line per listener ($URL)"; else
    fail "listening lines for two listeners"; fi
  req -g "$URL/probe/echo"
  has '"client":"::1"' "request over IPv6"
  V4=$(grep -o '"message":"listening on http://127[^"]*"' "$WORK/dual.jsonl" | sed 's/.*on //; s/"$//')
  req "$V4/probe/items/9"
  has '{"id":"9"' "the same routes on the second listener"
  stop_http
else
  ERR=$(cat "$WORK/dual.err")
  expect_err_contains "cannot listen on [::1]:0" "no IPv6 loopback here: the refusal names the listener"
fi

# ---- API keys --------------------------------------------------------------------------------
KEYS=("$RATCHET_BIN" --config "$WORK/main.yaml" --data-dir "$WORK/data" keys)
READ_KEY=$("${KEYS[@]}" create --name reader --scope read 2>/dev/null | tail -1)
WRITE_KEY=$("${KEYS[@]}" create --name writer --scope write 2>/dev/null | tail -1)
GONE_KEY=$("${KEYS[@]}" create --name gone --scope admin 2>/dev/null | tail -1)
run "${KEYS[@]}" revoke gone
expect_rc 0 "keys revoke"
serve_http keys 'listen: "127.0.0.1:0", auth: api_key' || finish
req "$URL/probe/scope/read"
expect_code 401 "no key"
has "WWW-Authenticate: Bearer" "401 names the scheme"
has '"code":"UNAUTHORIZED"' "401 envelope"
req "$URL/probe/scope/read" -H "Authorization: Bearer wrong-key"
expect_code 401 "unknown key"
req "$URL/probe/scope/read" -H "Authorization: Bearer $READ_KEY"
expect_code 200 "read key on a read route"
has '"key":"reader"' "handler sees the key name"
req "$URL/probe/scope/write" -H "X-API-Key: $READ_KEY"
expect_code 403 "read key on a write route"
has '"message":"this route needs the write scope; the key has read"' "403 says why"
req "$URL/probe/scope/write" -H "X-API-Key: $WRITE_KEY"
expect_code 200 "write key via X-API-Key"
req "$URL/probe/scope/admin" -H "X-API-Key: $WRITE_KEY"
expect_code 403 "write key on an admin route"
req "$URL/probe/public"
expect_code 200 "public route needs no key"
req "$URL/probe/scope/read" -H "Authorization: Bearer $GONE_KEY"
expect_code 401 "revoked key"
stop_http

# ---- refused configurations -------------------------------------------------------------------
refused() { # NAME OPTIONS MESSAGE
  cat >"$WORK/$1.yaml" <<YAML
instances:
  - name: web
    plugin: http
    options: {$2}
  - name: probe
    plugin: http-probe
YAML
  run timeout 20 "$RATCHET_BIN" --plugin-dir "$PROBE_DIR" --config "$WORK/$1.yaml" --data-dir "$WORK/data" serve
  CHECKS=$((CHECKS + 1))
  if [ "$RC" -ne 0 ]; then pass "$1: serve refuses (exit $RC)"; else fail "$1: serve started"; fi
  expect_err_contains "$3" "$1: message"
}
refused open 'listen: "0.0.0.0:0"' \
  'auth: none is allowed only on loopback listeners; 0.0.0.0:0 is not loopback: create a key with `ratchet keys create` and set auth: api_key'
refused badport 'listen: "127.0.0.1:99999"' "the port must be a number from 0 to 65535"
refused badaddr 'listen: "example.com:80"' "the address must be a numeric IPv4 or IPv6 address"
refused halftls 'listen: [{address: 127.0.0.1, port: 0, tls_cert: cert.pem}]' "TLS needs both tls_cert and tls_key"

finish
