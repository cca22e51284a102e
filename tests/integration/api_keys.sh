#!/usr/bin/env bash
# API keys end to end: `ratchet keys create|list|revoke` and an http listener with
# `auth: api_key` in front of the REST API: 401 without a key, 403 with too small a scope,
# both header forms accepted, a revoked key refused, secrets never stored in clear.
source "$RATCHET_SOURCE_DIR/tests/integration/lib.sh"
command -v curl >/dev/null || { echo "SKIP: curl is not installed"; exit 77; }
K=("$RATCHET_BIN" --data-dir "$WORK/data")

run "${K[@]}" keys create --name reader --scope read
expect_rc 0 "keys create (read)"
READ=$OUT
expect_err_contains "shown only this once" "create says the secret is shown once"
CHECKS=$((CHECKS + 1))
[[ $READ =~ ^rk_[A-Za-z0-9_-]{43}$ ]] && pass "secret has the rk_ form" || fail "secret: $READ"
run "${K[@]}" keys create --name writer --scope write --json
expect_rc 0 "keys create --json"
WRITE=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])' <<<"$OUT")
run "${K[@]}" keys create --name reader --scope admin
expect_rc 1 "a second live key with the same name"
expect_err_contains "an API key named 'reader' exists" "duplicate name refused with its reason"
run "${K[@]}" keys create --name x --scope root
expect_rc 1 "unknown scope"
expect_err_contains "invalid scope 'root': use read, write or admin" "scope message"
run "${K[@]}" keys create --scope read
expect_rc 2 "create without --name"
run "${K[@]}" keys list
expect_rc 0 "keys list"
expect_out_contains "writer" "list shows the keys"
expect_out_contains "${READ:0:10}" "list shows the secret's prefix"
expect_out_lacks "$READ" "list never shows a secret"
CHECKS=$((CHECKS + 1))
if grep -qF "$READ" "$WORK/data/ratchet.db" "$WORK"/data/ratchet.db-wal 2>/dev/null; then
  fail "the secret is stored in clear"; else pass "the database holds no secret"; fi

cat >"$WORK/r.yaml" <<YAML
instances:
  - name: console
    plugin: logger-console
  - name: http
    plugin: http
    options: {listen: "127.0.0.1:0", auth: api_key}
  - name: api
    plugin: api-rest
YAML
serve_bg "$WORK/serve.err" "${K[@]}" --config "$WORK/r.yaml" \
  --tasks "$RATCHET_SOURCE_DIR/sample" serve --workers 1 || finish
U=$BASE

# status CURL-ARGS...: the HTTP status, with the body in $WORK/body
status() { curl -s -o "$WORK/body" -w '%{http_code}' "$@"; }
expect_status() {
  CHECKS=$((CHECKS + 1))
  local want=$1 what=$2; shift 2
  local got; got=$(status "$@")
  if [ "$got" = "$want" ]; then pass "$what ($got)"; else
    fail "$what: expected $want, got $got: $(head -c 300 "$WORK/body")"; fi
}
expect_body() {
  CHECKS=$((CHECKS + 1))
  if grep -qF -- "$1" "$WORK/body"; then pass "$2"; else fail "$2: body lacks '$1': $(head -c 300 "$WORK/body")"; fi
}

expect_status 200 "health needs no key" "$U/health"
expect_status 401 "no key: 401" "$U/api/v1/tasks"
expect_body '"code":"UNAUTHORIZED"' "401 carries the error envelope"
expect_status 401 "a wrong key: 401" -H "Authorization: Bearer rk_nope" "$U/api/v1/tasks"
expect_status 200 "read key reads (Bearer)" -H "Authorization: Bearer $READ" "$U/api/v1/tasks"
expect_status 200 "read key reads (X-API-Key)" -H "X-API-Key: $READ" "$U/api/v1/jobs"
expect_status 403 "read key cannot write" -H "Authorization: Bearer $READ" \
  -H 'Content-Type: application/json' -d '{"taskName":"addition","input":{"num1":1,"num2":2}}' "$U/api/v1/jobs"
expect_body '"code":"FORBIDDEN"' "403 carries the error envelope"
expect_status 201 "write key queues a job" -H "Authorization: Bearer $WRITE" \
  -H 'Content-Type: application/json' -d '{"taskName":"addition","input":{"num1":1,"num2":2}}' "$U/api/v1/jobs"

run "${K[@]}" keys revoke reader
expect_rc 0 "keys revoke"
# The listener may accept a verified key from its cache for up to 10 s.
refused() { [ "$(status -H "Authorization: Bearer $READ" "$U/api/v1/tasks")" = 401 ]; }
CHECKS=$((CHECKS + 1))
if wait_for 15 refused; then pass "a revoked key is refused"; else fail "revoked key still accepted"; fi
run "${K[@]}" keys revoke reader
expect_rc 1 "revoking twice"
expect_err_contains "no live key named 'reader'" "second revoke says why"

kill -TERM "$SERVE"
wait "$SERVE" && RC=0 || RC=$?
OUT="" ERR=$(tail -n 40 "$WORK/serve.err")
expect_rc 0 "serve exits 0"
finish
