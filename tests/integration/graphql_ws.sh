#!/usr/bin/env bash
# GraphQL over WebSocket (issue 18): the graphql-transport-ws protocol on the http plugin's
# connection upgrades, against the real server with API keys on. curl checks the opening
# handshake's answers (101 with Sec-WebSocket-Accept per RFC 6455, 400 and 426 with their
# messages); the official `graphql-ws` npm client (with the `ws` package, from the npm
# registry into .cache/) receives subscription events while a task runs, and raw clients check
# the protocol's and the framing's close codes (tests/integration/graphql/ws_client.mjs); a
# server that stops completes the subscriptions and closes with 1001 (ws_shutdown.mjs).
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
source "$RATCHET_SOURCE_DIR/tests/integration/graphql/serve.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
K=("$RATCHET_BIN" --data-dir "$WORK/data")
graphql_chatty_task
READ=$("${K[@]}" keys create --name reader --scope read 2>/dev/null)
WRITE=$("${K[@]}" keys create --name writer --scope write 2>/dev/null)
graphql_serve '  - name: http
    plugin: http
    options: {listen: "127.0.0.1:0", auth: api_key}
  - name: graphql
    plugin: api-graphql
    options: {max_message_size: 4KiB, connection_init_timeout: 1s}'
wait_for 20 curl -s -o /dev/null "$U/graphql/ws" || { fail "not answering"; finish; }

# handshake HEADERS...: GET /graphql/ws as an upgrade; sets CODE and HEAD (the headers) and BODY.
handshake() {
  CODE=$(curl -s --max-time 3 -o "$WORK/body" -D "$WORK/head" -w '%{http_code}' "$@" "$U/graphql/ws")
  HEAD=$(tr -d '\r' <"$WORK/head")
  BODY=$(cat "$WORK/body")
}
expect_code() { # expect_code CODE DESCRIPTION [TEXT-IN-HEAD-OR-BODY]
  CHECKS=$((CHECKS + 1))
  if [ "$CODE" = "$1" ] && { [ -z "${3:-}" ] || grep -qF -- "$3" <<<"$HEAD$BODY"; }; then pass "$2 ($CODE)"; else
    fail "$2: expected $1${3:+ with '$3'}, got $CODE: $HEAD $BODY"; fi
}
UPG=(-H 'Upgrade: websocket' -H 'Connection: Upgrade' -H 'Sec-WebSocket-Version: 13'
  -H 'Sec-WebSocket-Protocol: graphql-transport-ws')
# RFC 6455 section 1.3's example key and its accept value
handshake "${UPG[@]}" -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='
expect_code 101 "the opening handshake switches protocols" 'Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo='
CHECKS=$((CHECKS + 1))
if grep -qi '^sec-websocket-protocol: graphql-transport-ws$' <<<"$HEAD"; then pass "the subprotocol is graphql-transport-ws"; else
  fail "no Sec-WebSocket-Protocol in: $HEAD"; fi
handshake -H 'Upgrade: websocket' -H 'Connection: Upgrade' -H 'Sec-WebSocket-Version: 13' \
  -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='
expect_code 400 "no subprotocol offered" 'offer the subprotocol graphql-transport-ws in Sec-WebSocket-Protocol'
handshake -H 'Upgrade: websocket' -H 'Connection: Upgrade' -H 'Sec-WebSocket-Version: 8' \
  -H 'Sec-WebSocket-Protocol: graphql-transport-ws' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='
expect_code 426 "another WebSocket version" 'this server speaks WebSocket version 13, not 8'
handshake "${UPG[@]}" -H 'Sec-WebSocket-Key: short'
expect_code 400 "a malformed Sec-WebSocket-Key" 'Sec-WebSocket-Key must be the base64 of 16 bytes'
handshake
expect_code 400 "a plain GET of the WebSocket endpoint" 'this is a WebSocket endpoint: send Upgrade: websocket'
handshake "${UPG[@]}" -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -H 'Authorization: Bearer wrong'
expect_code 401 "a wrong key in the upgrade request" 'the API key is not valid'

CACHE=${RATCHET_NPM_WS_CACHE:-$RATCHET_SOURCE_DIR/.cache/npm-graphql-ws}
if command -v node >/dev/null && { [ -d "$CACHE/node_modules/graphql-ws" ] ||
   npm install --prefix "$CACHE" --no-audit --no-fund graphql@16 graphql-ws@5 ws@8 >"$WORK/npm.log" 2>&1; }; then
  cp "$RATCHET_SOURCE_DIR/tests/integration/graphql/ws_client.mjs" "$CACHE/ws_client.mjs"
  run timeout 180 node "$CACHE/ws_client.mjs" "${U/http:/ws:}/graphql/ws" "$WRITE" "$READ"
  echo "$OUT"
  CHECKS=$((CHECKS + 1))
  if [ "$RC" -eq 0 ]; then pass "the graphql-ws client and the protocol checks"; else
    fail "ws_client.mjs (exit $RC): $(grep FAIL <<<"$OUT") $ERR"; fi
  # the server stops with a subscription open: `complete`, then close 1001, and a clean exit
  cp "$RATCHET_SOURCE_DIR/tests/integration/graphql/ws_shutdown.mjs" "$CACHE/ws_shutdown.mjs"
  node "$CACHE/ws_shutdown.mjs" "${U/http:/ws:}/graphql/ws" "$READ" >"$WORK/shutdown.out" 2>&1 &
  CLIENT=$!
  wait_for 15 grep -q '^subscribed$' "$WORK/shutdown.out" || fail "the subscription did not start: $(cat "$WORK/shutdown.out")"
  kill -TERM "$SERVE"
  wait "$CLIENT"
  wait "$SERVE" && RC=0 || RC=$?
  OUT=$(cat "$WORK/shutdown.out")
  expect_out_contains "complete w" "at shutdown the subscription is completed"
  expect_out_contains "close 1001 the server is stopping" "and the connection closed with 1001"
  expect_rc 0 "serve exits 0 with a WebSocket open"
else
  echo "SKIP: Node or the npm registry is not available for graphql-ws"
  finish
fi
finish
